// One AF_XDP socket with its own UMEM, bound to one (interface, queue). Owns: the socket fd, the UMEM mapping
// and the four ring mappings; all are released by the destructor (close(2) then munmap(2)), after the threads
// that use the rings have been joined by the owner. Opened and destroyed on the JavaScript thread.
// Syscalls: socket(AF_XDP), mmap, setsockopt(XDP_UMEM_REG, ring sizes), getsockopt(XDP_MMAP_OFFSETS), bind.
// Needs CAP_NET_RAW for the socket and CAP_IPC_LOCK (or RLIMIT_MEMLOCK above the UMEM size) for XDP_UMEM_REG.
//
// UMEM frames [0, rx_frames) circulate fill -> RX -> fill on the receive thread; frames [rx_frames, frame_count)
// belong to the sender (JavaScript thread): TX -> completion -> free list.
#pragma once

#include <linux/if_xdp.h>

#include <cstdint>
#include <memory>

#include "status.h"
#include "xsk_ring.h"

namespace xdpchain {

struct XskConfig {
  uint32_t ifindex = 0;
  uint32_t queue = 0;
  uint32_t frame_bytes = 2048;  // power of two, 2048..4096
  uint32_t rx_frames = 2048;    // also the fill and RX ring size (power of two)
  uint32_t tx_frames = 2048;    // also the TX and completion ring size (power of two)
  bool need_wakeup = true;      // XDP_USE_NEED_WAKEUP: the kernel tells us when a syscall is needed
  uint16_t bind_flags = XDP_COPY;  // XDP_COPY, XDP_ZEROCOPY, or 0 (kernel picks, zero-copy first)
};

struct XskKernelStats {
  uint64_t rx_dropped = 0;
  uint64_t rx_invalid_descs = 0;
  uint64_t tx_invalid_descs = 0;
  uint64_t rx_ring_full = 0;
  uint64_t rx_fill_ring_empty_descs = 0;
  uint64_t tx_ring_empty_descs = 0;
};

class XskSocket {
 public:
  // Opens, registers the UMEM, maps the rings, fills the fill ring and binds. On failure returns null.
  static std::unique_ptr<XskSocket> open(const XskConfig& config, Status* status);
  ~XskSocket();
  XskSocket(const XskSocket&) = delete;
  XskSocket& operator=(const XskSocket&) = delete;

  int fd() const { return fd_; }
  const XskConfig& config() const { return config_; }
  uint8_t* umem() const { return umem_; }
  bool zero_copy() const { return zero_copy_; }
  int bind_retries() const { return bind_retries_; }
  XskKernelStats kernel_stats() const;

  // Each ring view is handed to exactly one thread: fill + RX to the receive thread, TX + completion to the sender.
  FillRing fill;
  RxRing rx;
  TxRing tx;
  CompletionRing completion;

 private:
  XskSocket() = default;
  Status map_rings();

  XskConfig config_{};
  int fd_ = -1;
  uint8_t* umem_ = nullptr;
  size_t umem_bytes_ = 0;
  bool zero_copy_ = false;
  int bind_retries_ = 0;
  struct Mapping {
    void* addr = nullptr;
    size_t bytes = 0;
  } maps_[4];
};

}  // namespace xdpchain
