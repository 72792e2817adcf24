// Frame building and validation (see frame.h). Multi-byte fields are assembled byte by byte so the code reads
// the same on any host and never performs an unaligned access.
#include "frame.h"

#include <cstring>

namespace xdpchain {
namespace {

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kTtl = 64;

inline uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline uint32_t get32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}
inline void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

uint32_t pseudo_header_sum(uint32_t src_ip, uint32_t dst_ip, uint32_t udp_len) {
  return (src_ip >> 16) + (src_ip & 0xffff) + (dst_ip >> 16) + (dst_ip & 0xffff) + kProtoUdp + udp_len;
}

bool port_is_ours(const RxFilter& f, uint16_t port) {
  for (uint32_t i = 0; i < f.port_count; ++i) {
    if (f.ports[i] == port) return true;
  }
  return false;
}

}  // namespace

uint32_t checksum_add(uint32_t sum, const uint8_t* data, uint32_t len) {
  // 64-bit accumulator over 32-bit big-endian words: no carry is lost before the fold below.
  uint64_t acc = sum;
  uint32_t i = 0;
  for (; i + 4 <= len; i += 4) acc += get32(data + i);
  if (i + 2 <= len) {
    acc += get16(data + i);
    i += 2;
  }
  if (i < len) acc += static_cast<uint32_t>(data[i]) << 8;
  while (acc >> 32) acc = (acc & 0xffffffffu) + (acc >> 32);
  return static_cast<uint32_t>(acc);
}

uint16_t checksum_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffff);
}

RxVerdict parse_udp_frame(const uint8_t* frame, uint32_t frame_len, const RxFilter& filter, RxDatagram* out) {
  if (frame_len < kEthHeaderBytes + kIpv4HeaderBytes) return RxVerdict::Truncated;
  if (get16(frame + 12) != kEtherTypeIpv4) return RxVerdict::Malformed;
  const uint8_t* ip = frame + kEthHeaderBytes;
  uint32_t ihl_bytes = static_cast<uint32_t>(ip[0] & 0x0f) * 4;
  if ((ip[0] >> 4) != 4 || ihl_bytes < kIpv4HeaderBytes) return RxVerdict::Malformed;
  uint32_t ip_total = get16(ip + 2);
  uint32_t ip_avail = frame_len - kEthHeaderBytes;  // frames may carry Ethernet padding after the datagram
  if (ip_total > ip_avail || ihl_bytes + kUdpHeaderBytes > ip_avail) return RxVerdict::Truncated;
  if (ip_total < ihl_bytes + kUdpHeaderBytes) return RxVerdict::Malformed;
  if (ip[9] != kProtoUdp) return RxVerdict::Malformed;
  if (get16(ip + 6) & 0x3fff) return RxVerdict::Fragment;
  if (checksum_fold(checksum_add(0, ip, ihl_bytes)) != 0) return RxVerdict::BadChecksum;
  uint32_t dst_ip = get32(ip + 16);
  if (filter.local_ip != 0 && dst_ip != filter.local_ip) return RxVerdict::WrongAddress;

  const uint8_t* udp = ip + ihl_bytes;
  uint32_t udp_len = get16(udp + 4);
  if (udp_len < kUdpHeaderBytes || udp_len > ip_total - ihl_bytes) return RxVerdict::Malformed;
  uint16_t dst_port = get16(udp + 2);
  if (!port_is_ours(filter, dst_port)) return RxVerdict::WrongPort;
  uint32_t payload_len = udp_len - kUdpHeaderBytes;
  if (payload_len > filter.payload_max) return RxVerdict::Oversize;
  uint32_t src_ip = get32(ip + 12);
  uint16_t check = get16(udp + 6);
  bool partial = false;
  if (check != 0) {  // zero means "no checksum" in IPv4 (RFC 768)
    uint32_t pseudo = pseudo_header_sum(src_ip, dst_ip, udp_len);
    if (checksum_fold(checksum_add(pseudo, udp, udp_len)) != 0) {
      // A sender on this host with checksum offload (veth) leaves only the pseudo-header sum in the field:
      // the frame never crossed a wire, so there is nothing to verify. Anything else is corruption.
      partial = check == static_cast<uint16_t>(~checksum_fold(pseudo));
      if (!partial) return RxVerdict::BadChecksum;
    }
  }
  out->checksum_partial = partial;
  out->src_ip = src_ip;
  out->src_port = get16(udp);
  out->dst_port = dst_port;
  out->payload = udp + kUdpHeaderBytes;
  out->payload_len = payload_len;
  return RxVerdict::Ok;
}

uint32_t build_udp_frame(uint8_t* out, uint32_t cap, const TxHeaderTemplate& from, const TxDatagram& d, uint16_t ip_id) {
  uint32_t frame_len = kFrameHeaderBytes + d.payload_len;
  if (frame_len > cap || kIpv4HeaderBytes + kUdpHeaderBytes + d.payload_len > 0xffff) return 0;

  std::memcpy(out, d.dst_mac, 6);
  std::memcpy(out + 6, from.src_mac, 6);
  put16(out + 12, kEtherTypeIpv4);

  uint8_t* ip = out + kEthHeaderBytes;
  uint32_t ip_total = kIpv4HeaderBytes + kUdpHeaderBytes + d.payload_len;
  ip[0] = 0x45;  // version 4, 5 words of header
  ip[1] = 0;     // DSCP/ECN
  put16(ip + 2, static_cast<uint16_t>(ip_total));
  put16(ip + 4, ip_id);
  put16(ip + 6, 0x4000);  // don't fragment
  ip[8] = kTtl;
  ip[9] = kProtoUdp;
  put16(ip + 10, 0);
  put32(ip + 12, from.src_ip);
  put32(ip + 16, d.dst_ip);
  put16(ip + 10, checksum_fold(checksum_add(0, ip, kIpv4HeaderBytes)));

  uint8_t* udp = ip + kIpv4HeaderBytes;
  uint32_t udp_len = kUdpHeaderBytes + d.payload_len;
  put16(udp, d.src_port);
  put16(udp + 2, d.dst_port);
  put16(udp + 4, static_cast<uint16_t>(udp_len));
  put16(udp + 6, 0);
  if (d.payload_len) std::memcpy(udp + kUdpHeaderBytes, d.payload, d.payload_len);
  uint16_t sum = checksum_fold(checksum_add(pseudo_header_sum(from.src_ip, d.dst_ip, udp_len), udp, udp_len));
  put16(udp + 6, sum == 0 ? 0xffff : sum);  // a computed zero is sent as all ones (RFC 768)
  return frame_len;
}

}  // namespace xdpchain
