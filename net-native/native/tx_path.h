// Batch send for one AF_XDP socket: reads datagrams staged by JavaScript (layout below), builds each frame with
// both checksums directly in a UMEM frame, queues it on the TX ring and kicks the kernel. The completion ring
// is drained here too, so frames return to the free list without a thread of their own.
//
// Threads: the JavaScript thread only (the sole producer of the TX ring and consumer of the completion ring).
// Syscalls: sendto(2) with MSG_DONTWAIT to kick the TX ring; copy mode moves a bounded number of frames per
// kick, so send() kicks until the ring is drained or a bounded number of tries is spent, and never blocks.
//
// Staged entry (little-endian, 8-byte aligned, written by net-native/src/tx-stager.ts):
//   u32 dst_ip (host order) | u16 dst_port | u16 payload_len | u8 dst_mac[6] | u16 src_port | payload | pad to 8
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "counters.h"
#include "frame.h"
#include "xsk_ring.h"

namespace xdpchain {

constexpr uint32_t kTxStagedHeaderBytes = 16;

struct TxStagedHeader {
  uint32_t dst_ip;
  uint16_t dst_port;
  uint16_t payload_len;
  uint8_t dst_mac[6];
  uint16_t src_port;
};
static_assert(sizeof(TxStagedHeader) == kTxStagedHeaderBytes, "staged layout is shared with JavaScript");

struct TxPort {
  TxRing tx;
  CompletionRing completion;
  uint8_t* umem = nullptr;
  uint32_t frame_bytes = 0;
  uint32_t first_frame = 0;  // index of the first UMEM frame reserved for sending
  uint32_t frame_count = 0;
  int fd = -1;
  bool kick_always = false;  // true when the socket was bound without need_wakeup
};

class TxPath {
 public:
  TxPath(const TxPort& port, const TxHeaderTemplate& from, TxCounters* counters);
  // Sends `count` staged entries from `staged[0, bytes)`. Returns how many were queued for transmission;
  // the others are counted (ring_full after bounded retries, invalid for malformed entries).
  uint32_t send(const uint8_t* staged, size_t bytes, uint32_t count);
  // Frames queued but not yet completed by the kernel.
  uint32_t in_flight() const { return port_.frame_count - static_cast<uint32_t>(free_.size()); }
  void reclaim();

 private:
  bool ensure_room();
  void flush();
  bool kick();

  TxPort port_;
  TxHeaderTemplate from_;
  TxCounters* counters_;
  std::vector<uint64_t> free_;
  uint32_t unsubmitted_ = 0;
  uint16_t ip_id_ = 0;
};

}  // namespace xdpchain
