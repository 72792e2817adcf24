// What sending needs from the kernel's tables: our interface's index, MAC and MTU, the route to a destination
// and the next hop's MAC from the neighbour table. AF_XDP transmit bypasses routing and ARP, so the sender asks
// here. A probe (RTM_NEWNEIGH with NTF_USE) makes the kernel resolve a missing neighbour by ARP.
// Threads: the JavaScript thread only; one netlink socket per engine, opened in the engine's network namespace.
// Syscalls: socket(AF_NETLINK, NETLINK_ROUTE), sendto/recv, ioctl(SIOCGIFHWADDR, SIOCGIFMTU, SIOCETHTOOL). The probe needs
// CAP_NET_ADMIN; queries need nothing.
#pragma once

#include <cstdint>
#include <string>

#include "status.h"

namespace xdpchain {

struct InterfaceInfo {
  uint32_t ifindex = 0;
  uint8_t mac[6] = {};
  uint32_t mtu = 0;
  uint32_t rx_queues = 1;  // from ETHTOOL_GCHANNELS (rx + combined); 1 when the driver does not say
};

// Looks the interface up in the calling thread's network namespace.
Status interface_info(const std::string& name, InterfaceInfo* out);

struct RouteInfo {
  uint32_t ifindex = 0;
  uint32_t next_hop = 0;  // host byte order: the gateway, or the destination itself when on-link
  bool local = false;     // the destination is one of this host's addresses
};

enum class NeighbourState : uint8_t { Valid, Pending, Failed, Missing };

class Netlink {
 public:
  Netlink() = default;
  ~Netlink();
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  Status open();
  Status route(uint32_t dst_ip, RouteInfo* out);
  // Reads the neighbour table entry for ip on ifindex.
  Status neighbour(uint32_t ip, uint32_t ifindex, NeighbourState* state, uint8_t mac[6]);
  // Asks the kernel to resolve ip on ifindex (sends ARP); the answer shows up in neighbour() later.
  Status probe(uint32_t ip, uint32_t ifindex);

 private:
  Status request(void* msg, uint32_t len);
  int fd_ = -1;
  uint32_t seq_ = 1;
};

}  // namespace xdpchain
