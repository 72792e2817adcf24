// rtnetlink queries (see netlink.h), written against the uapi headers: rtnetlink(7), netlink(7).
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/neighbour.h>
#include <linux/sockios.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace xdpchain {
namespace {

constexpr size_t kBufferBytes = 32768;

struct Request {
  nlmsghdr hdr;
  union {
    rtmsg rt;
    ndmsg nd;
  };
  char attrs[64];
};

void add_attr(nlmsghdr* hdr, uint16_t type, const void* data, uint16_t len) {
  auto* rta = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(hdr) + NLMSG_ALIGN(hdr->nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = static_cast<uint16_t>(RTA_LENGTH(len));
  std::memcpy(RTA_DATA(rta), data, len);
  hdr->nlmsg_len = NLMSG_ALIGN(hdr->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

bool valid_state(uint16_t s) {
  return (s & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)) != 0;
}

}  // namespace

Status interface_info(const std::string& name, InterfaceInfo* out) {
  if (name.empty() || name.size() >= IFNAMSIZ) return Status::fail(ErrorCode::InvalidArgument, 0, "interface name");
  out->ifindex = if_nametoindex(name.c_str());
  if (out->ifindex == 0) return Status::fail(ErrorCode::Interface, errno, "if_nametoindex(" + name + ")");
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::fail(ErrorCode::Interface, errno, "socket(AF_INET)");
  ifreq req{};
  std::memcpy(req.ifr_name, name.c_str(), name.size());
  Status st;
  if (::ioctl(fd, SIOCGIFHWADDR, &req) != 0) {
    st = Status::fail(ErrorCode::Interface, errno, "ioctl(SIOCGIFHWADDR, " + name + ")");
  } else {
    std::memcpy(out->mac, req.ifr_hwaddr.sa_data, 6);
    if (::ioctl(fd, SIOCGIFMTU, &req) != 0) {
      st = Status::fail(ErrorCode::Interface, errno, "ioctl(SIOCGIFMTU, " + name + ")");
    } else {
      out->mtu = static_cast<uint32_t>(req.ifr_mtu);
    }
    ethtool_channels ch{};
    ch.cmd = ETHTOOL_GCHANNELS;
    req.ifr_data = reinterpret_cast<char*>(&ch);
    if (::ioctl(fd, SIOCETHTOOL, &req) == 0 && ch.rx_count + ch.combined_count > 0) {
      out->rx_queues = ch.rx_count + ch.combined_count;
    }
  }
  ::close(fd);
  return st;
}

Netlink::~Netlink() {
  if (fd_ >= 0) ::close(fd_);
}

Status Netlink::open() {
  fd_ = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd_ < 0) return Status::fail(ErrorCode::Netlink, errno, "socket(AF_NETLINK)");
  timeval tv{1, 0};  // the kernel answers at once; the timeout bounds a lost reply
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return Status::success();
}

Status Netlink::request(void* msg, uint32_t len) {
  if (fd_ < 0) return Status::fail(ErrorCode::Closed, 0, "netlink closed");
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd_, msg, len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
    return Status::fail(ErrorCode::Netlink, errno, "netlink sendto");
  }
  return Status::success();
}

Status Netlink::route(uint32_t dst_ip, RouteInfo* out) {
  Request req{};
  req.hdr.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
  req.hdr.nlmsg_type = RTM_GETROUTE;
  req.hdr.nlmsg_flags = NLM_F_REQUEST;
  req.hdr.nlmsg_seq = ++seq_;
  req.rt.rtm_family = AF_INET;
  req.rt.rtm_dst_len = 32;
  uint32_t dst_be = htonl(dst_ip);
  add_attr(&req.hdr, RTA_DST, &dst_be, 4);
  Status st = request(&req, req.hdr.nlmsg_len);
  if (!st.ok()) return st;
  alignas(nlmsghdr) char buf[kBufferBytes];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n < 0) return Status::fail(ErrorCode::Netlink, errno, "netlink recv (route)");
  for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
    if (h->nlmsg_seq != seq_) continue;  // a late answer to an earlier, abandoned request
    if (h->nlmsg_type == NLMSG_ERROR) {
      int err = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
      return Status::fail(ErrorCode::Netlink, err, "no route to destination");
    }
    if (h->nlmsg_type != RTM_NEWROUTE) continue;
    auto* rt = static_cast<rtmsg*>(NLMSG_DATA(h));
    *out = RouteInfo{0, dst_ip, rt->rtm_type == RTN_LOCAL};
    int len = static_cast<int>(RTM_PAYLOAD(h));
    for (auto* a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
      if (a->rta_type == RTA_OIF) out->ifindex = *static_cast<uint32_t*>(RTA_DATA(a));
      if (a->rta_type == RTA_GATEWAY) out->next_hop = ntohl(*static_cast<uint32_t*>(RTA_DATA(a)));
    }
    return Status::success();
  }
  return Status::fail(ErrorCode::Netlink, ENOENT, "no route answer");
}

Status Netlink::neighbour(uint32_t ip, uint32_t ifindex, NeighbourState* state, uint8_t mac[6]) {
  Request req{};
  req.hdr.nlmsg_len = NLMSG_LENGTH(sizeof(ndmsg));
  req.hdr.nlmsg_type = RTM_GETNEIGH;
  req.hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.hdr.nlmsg_seq = ++seq_;
  req.nd.ndm_family = AF_INET;
  Status st = request(&req, req.hdr.nlmsg_len);
  if (!st.ok()) return st;
  *state = NeighbourState::Missing;
  alignas(nlmsghdr) char buf[kBufferBytes];
  for (int parts = 0; parts < 1024; ++parts) {  // a dump arrives in several datagrams; bounded
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return Status::fail(ErrorCode::Netlink, errno, "netlink recv (neighbour)");
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != seq_) continue;
      if (h->nlmsg_type == NLMSG_DONE) return Status::success();
      if (h->nlmsg_type == NLMSG_ERROR) return Status::fail(ErrorCode::Netlink, EIO, "neighbour dump");
      if (h->nlmsg_type != RTM_NEWNEIGH) continue;
      auto* nd = static_cast<ndmsg*>(NLMSG_DATA(h));
      if (static_cast<uint32_t>(nd->ndm_ifindex) != ifindex) continue;
      int len = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof(ndmsg)));
      bool match = false;
      const uint8_t* lladdr = nullptr;
      for (auto* a = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(nd) + NLMSG_ALIGN(sizeof(ndmsg)));
           RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 4) match = ntohl(*static_cast<uint32_t*>(RTA_DATA(a))) == ip;
        if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) lladdr = static_cast<uint8_t*>(RTA_DATA(a));
      }
      if (!match) continue;
      if (valid_state(nd->ndm_state) && lladdr) {
        *state = NeighbourState::Valid;
        std::memcpy(mac, lladdr, 6);
      } else {
        *state = (nd->ndm_state & NUD_FAILED) ? NeighbourState::Failed : NeighbourState::Pending;
      }
    }
  }
  return Status::fail(ErrorCode::Netlink, E2BIG, "neighbour dump too long");
}

Status Netlink::probe(uint32_t ip, uint32_t ifindex) {
  Request req{};
  req.hdr.nlmsg_len = NLMSG_LENGTH(sizeof(ndmsg));
  req.hdr.nlmsg_type = RTM_NEWNEIGH;
  req.hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE;
  req.hdr.nlmsg_seq = ++seq_;
  req.nd.ndm_family = AF_INET;
  req.nd.ndm_ifindex = static_cast<int>(ifindex);
  req.nd.ndm_state = NUD_NONE;
  req.nd.ndm_flags = NTF_USE;  // "resolve this now" (neigh_event_send), not "set this entry"
  uint32_t ip_be = htonl(ip);
  add_attr(&req.hdr, NDA_DST, &ip_be, 4);
  Status st = request(&req, req.hdr.nlmsg_len);
  if (!st.ok()) return st;
  alignas(nlmsghdr) char buf[4096];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n < 0) return Status::fail(ErrorCode::Netlink, errno, "netlink recv (probe)");
  auto* h = reinterpret_cast<nlmsghdr*>(buf);
  if (NLMSG_OK(h, n) && h->nlmsg_type == NLMSG_ERROR) {
    int err = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
    if (err != 0) return Status::fail(ErrorCode::Netlink, err, "neighbour probe");
  }
  return Status::success();
}

}  // namespace xdpchain
