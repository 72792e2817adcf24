// The order lane's native ingest: datagrams to the lane port, from every receive thread of an engine, are
// checked (lane_order.h), stamped, numbered, verified off the receive threads (lane_verify.h), deduplicated
// (lane_dedupe.h) and published in order to the lane ring (lane_ring.h) that JavaScript drains.
//
// Why verifier threads: one OpenSSL ed25519 verification costs ~71 us on these machines against ~1 us for the
// rest of a frame's receive path, so verifying on the receive thread would cut its rate ~70-fold for lane and
// data-plane traffic alike. Each verifier thread has a bounded queue of `verify_queue_slots` items (copies of
// the datagram); a datagram that finds its queue full is dropped and counted (verifyQueueFull), never waited for.
//
// Order: submit() numbers datagrams 1, 2, 3, ... (local_seq) and dispatches them round-robin, so item d sits in
// queue d % threads; the publisher takes them back in the same round-robin order, so the lane ring is in local_seq
// order with stamps never going back, whatever the number of receive queues and verifier threads.
//
// Locking: one mutex guards the queues' indexes, the counters, the dedupe table and the ring's producer side.
// It is held for copies and bookkeeping only (about a microsecond); the verification runs outside it, on an
// item its verifier owns until it marks it verified. Duplicates of an accepted order are dropped before the
// ed25519 check (a lookup under the mutex), and again at publication for copies that were in flight together.
//
// Threads: open(), stop() and gauges() on the JavaScript thread; submit() on receive threads (any number);
// `threads` verifier threads between open() and stop(). The signal callback is called from verifier threads.
// Syscalls: clock_gettime(CLOCK_REALTIME) (vDSO), futex through std::mutex / condition_variable, getrandom(2)
// once at open for the dedupe seed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "counters.h"
#include "js_ring.h"
#include "lane_dedupe.h"
#include "lane_order.h"
#include "lane_ring.h"
#include "region.h"
#include "status.h"

namespace xdpchain {

constexpr uint32_t kLaneVerifyThreadsMax = 8;
constexpr uint32_t kLanePublishBatchMax = 32;  // a busy verifier makes records visible at least this often

struct LaneConfig {
  bool enabled = false;
  uint16_t port = 0;
  uint64_t chain_id = 0;
  std::vector<uint8_t> domain_tag;  // tag("laneOrder") from consensus/crypto/domains.ts
  uint32_t verify_threads = 1;
  uint32_t verify_queue_slots = 1024;  // per verifier thread, power of two
  uint32_t dedupe_capacity = 65536;
  uint32_t ring_slots = 4096;  // lane ring slots, power of two
};

// Checks a lane configuration (ranges, powers of two); Ok when disabled.
Status check_lane_config(const LaneConfig& c);

// One datagram to the lane port, pointing into a frame the receive thread still owns.
struct LaneInput {
  const uint8_t* payload;
  uint32_t len;
  uint32_t src_ip;  // host byte order
  uint16_t src_port;
  uint16_t queue;
};

struct LaneGauges {
  uint32_t dedupe_entries = 0;
  uint64_t dedupe_evictions = 0;
  uint32_t verify_queued = 0;  // items submitted and not yet published or dropped
};

class LanePipeline {
 public:
  static std::unique_ptr<LanePipeline> open(const LaneConfig& config, std::function<void()> signal, Status* status);
  ~LanePipeline();
  LanePipeline(const LanePipeline&) = delete;
  LanePipeline& operator=(const LanePipeline&) = delete;

  // Takes a receive batch's lane datagrams, all pulled at stamp_us. Copies what it keeps; never blocks on
  // verification (only on the mutex).
  void submit(const LaneInput* in, uint32_t n, uint64_t stamp_us);
  // Wakes and joins the verifier threads. Idempotent. Items still queued are dropped uncounted.
  void stop();

  const std::shared_ptr<Region>& ring() const { return ring_region_; }
  const LaneCounters& counters() const { return counters_; }
  const LaneConfig& config() const { return config_; }
  LaneGauges gauges();

  // CLOCK_REALTIME in microseconds since the Unix epoch.
  static uint64_t now_us();

 private:
  struct Item {
    uint64_t stamp_us;
    uint32_t seq;
    uint32_t src_ip;
    uint16_t src_port;
    uint16_t len;
    uint16_t queue;
    LaneVerdict verdict;
    uint8_t id[32];
    uint8_t bytes[kOrderBytesMax];
  };
  // Indexes only grow; [consumed, verified) await publication, [verified, produced) await their verifier.
  struct Queue {
    std::vector<Item> items;
    uint64_t produced = 0, verified = 0, consumed = 0;
    std::condition_variable ready;
  };

  LanePipeline(const LaneConfig& config, uint64_t seed);
  void run(uint32_t k);
  // Under mutex_: publishes verified items in order; true when JavaScript must be signalled.
  bool publish_ready(bool flush);
  void publish_item(Item& it);

  LaneConfig config_;
  std::function<void()> signal_;
  std::shared_ptr<Region> ring_region_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Queue>> queues_;
  DedupeTable dedupe_;
  JsRingProducer ring_;
  LaneCounters counters_;
  uint64_t dispatched_ = 0;
  uint64_t published_ = 0;
  uint32_t unpublished_ = 0;  // records committed to the ring but not yet made visible
  uint32_t seq_ = 0;
  uint64_t last_stamp_us_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace xdpchain
