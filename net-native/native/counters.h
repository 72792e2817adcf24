// Per-queue counters. Each counter has exactly one writing thread (receive counters: that queue's receive
// thread; send counters: the JavaScript thread) or writers serialized by one mutex (lane counters: the lane
// mutex), so a relaxed load-add-store suffices and costs a plain add; any thread may read them. Read by
// JavaScript through XdpEngine.stats() for metrics.
#pragma once

#include <atomic>
#include <cstdint>

#include "frame.h"
#include "lane_order.h"

namespace xdpchain {

class Counter {
 public:
  void add(uint64_t n) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

struct RxCounters {
  Counter frames;      // descriptors taken from the AF_XDP RX ring
  Counter datagrams;   // datagrams handed to JavaScript
  Counter bytes;       // payload bytes handed to JavaScript
  Counter batches;     // batches published to the shared ring
  Counter wakeups;     // times JavaScript was signalled (at most one per batch)
  Counter ring_full;   // valid datagrams dropped because JavaScript had not released slots
  Counter polls;       // poll(2) calls that slept (poll mode)
  Counter checksum_partial;  // accepted datagrams whose UDP checksum a local sender left to offload
  Counter refused[static_cast<int>(RxVerdict::Count)];  // by cause; index 0 unused
};

struct TxCounters {
  Counter datagrams;   // frames placed on the TX ring
  Counter bytes;       // payload bytes
  Counter kicks;       // sendto(2) wakeups
  Counter kick_errors; // sendto(2) failures other than "try again"
  Counter ring_full;   // datagrams dropped: no free frame or TX slot after bounded retries
  Counter invalid;     // staged entries refused (bad length): a bug on the JS side, counted not trusted
  Counter completions; // frames returned by the completion ring
};

// The order lane, one set per engine (all queues). Written under the lane mutex (lane_pipeline.h).
struct LaneCounters {
  Counter received;  // datagrams to the lane port
  Counter accepted;  // orders published to the lane ring
  Counter batches;   // publications of the lane ring
  Counter wakeups;   // times JavaScript was signalled for the lane (at most one per batch)
  Counter dropped[static_cast<int>(LaneVerdict::Count)];  // by cause; index 0 unused
};

}  // namespace xdpchain
