// Ethernet II / IPv4 / UDP frames: building outgoing frames with both checksums and validating incoming ones.
// Pure functions over caller-owned memory, callable from any thread; no syscalls. Not a general IP stack: no
// options on send, no fragments, no VLAN tags. Follows RFC 791 (IPv4), RFC 768 (UDP) and RFC 1071 (checksum).
#pragma once

#include <cstdint>

namespace xdpchain {

constexpr uint32_t kEthHeaderBytes = 14;
constexpr uint32_t kIpv4HeaderBytes = 20;
constexpr uint32_t kUdpHeaderBytes = 8;
constexpr uint32_t kFrameHeaderBytes = kEthHeaderBytes + kIpv4HeaderBytes + kUdpHeaderBytes;  // 42
constexpr uint32_t kPortsMax = 16;

// Why a received frame was refused. Order is shared with the JS counters (net-native/src/native-stats.ts).
enum class RxVerdict : uint8_t {
  Ok = 0,
  Truncated,     // shorter than its headers, or than the lengths they declare
  Malformed,     // not IPv4/UDP, bad version or header length, inconsistent lengths
  Fragment,      // IPv4 fragment: never ours (we never send them)
  BadChecksum,   // IPv4 header or UDP checksum wrong
  WrongAddress,  // destination is not our address
  WrongPort,     // destination port is not one of ours
  Oversize,      // payload larger than the caller accepts
  Count
};

struct RxFilter {
  uint32_t local_ip = 0;  // host byte order; 0 accepts any destination
  uint16_t ports[kPortsMax] = {};
  uint32_t port_count = 0;
  uint32_t payload_max = 0;
};

struct RxDatagram {
  uint32_t src_ip = 0;  // host byte order
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  const uint8_t* payload = nullptr;
  uint32_t payload_len = 0;
  bool checksum_partial = false;  // accepted with an offload-partial UDP checksum (see frame.cc)
};

// Validates one frame; on Ok fills `out` with pointers into `frame`.
RxVerdict parse_udp_frame(const uint8_t* frame, uint32_t frame_len, const RxFilter& filter, RxDatagram* out);

struct TxHeaderTemplate {
  uint8_t src_mac[6] = {};
  uint32_t src_ip = 0;  // host byte order
};

struct TxDatagram {
  uint8_t dst_mac[6] = {};
  uint32_t dst_ip = 0;  // host byte order
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  const uint8_t* payload = nullptr;
  uint32_t payload_len = 0;
};

// Writes a complete frame into out (capacity cap). Returns its length, or 0 when it does not fit or the
// payload exceeds what one unfragmented IPv4 datagram can carry.
uint32_t build_udp_frame(uint8_t* out, uint32_t cap, const TxHeaderTemplate& from, const TxDatagram& d, uint16_t ip_id);

// RFC 1071 one's-complement sum helpers, exposed for tests.
uint32_t checksum_add(uint32_t sum, const uint8_t* data, uint32_t len);
uint16_t checksum_fold(uint32_t sum);

}  // namespace xdpchain
