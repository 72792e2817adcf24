// A stand-in for the kernel side of one AF_XDP queue, over plain memory: a generator thread takes frames from
// the fill ring, writes UDP frames built by frame.h into them and posts them on the RX ring, while a real
// RxWorker moves them into a real shared JS ring. Tests (native and JavaScript, ASan included) use it to check
// the rings, the frame validation, the wake protocol and close-while-busy without root or a network device.
// Threads: open/inject/close on the caller's thread; one generator thread; the worker's own thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "counters.h"
#include "engine.h"
#include "rx_worker.h"
#include "status.h"

namespace xdpchain {

struct FakeNicConfig {
  uint32_t frames = 1024;  // fill and RX ring size
  uint32_t frame_bytes = 2048;
  uint32_t ring_slots = 1024;
  uint32_t ring_slot_bytes = 2048;
  uint32_t batch_max = 64;
  PollMode poll = PollMode::Wakeup;
  uint32_t local_ip = 0x0a000002;  // 10.0.0.2, host order
  uint16_t port = 9000;
  LanePipeline* lane = nullptr;  // when set, datagrams to lane_port go to it (owned by the caller, outlives the NIC)
  uint16_t lane_port = 0;
};

// Payload of datagram seq: bytes 0..3 are seq (little-endian), byte i >= 4 is (seq * 31 + i) & 0xff.
struct InjectSpec {
  uint32_t count = 0;
  uint32_t payload_bytes = 64;
  uint32_t first_seq = 0;
  uint32_t bad_checksum_every = 0;  // 0: never
  uint32_t truncate_every = 0;
  uint32_t wrong_port_every = 0;
  uint32_t lane_every = 0;  // to FakeNicConfig::lane_port instead
};

class FakeNic {
 public:
  static std::unique_ptr<FakeNic> open(const FakeNicConfig& config, std::function<void()> signal, Status* status);
  ~FakeNic();
  FakeNic(const FakeNic&) = delete;
  FakeNic& operator=(const FakeNic&) = delete;

  // Starts generating in the background (waits for the previous injection to finish first).
  Status inject(const InjectSpec& spec);
  // Waits for the generator to have posted everything (not for JS to have read it).
  void wait_injected();
  void close();

  const std::shared_ptr<Region>& ring() const { return ring_; }
  const RxCounters& counters() const { return counters_; }
  uint64_t injected() const { return injected_.load(std::memory_order_relaxed); }

 private:
  FakeNic() = default;
  void generate(InjectSpec spec);
  void write_frame(uint8_t* frame, uint32_t* len, const InjectSpec& spec, uint32_t seq);

  FakeNicConfig config_{};
  std::vector<uint8_t> memory_;  // fill ring, RX ring and UMEM, laid out by open()
  RingMemory fill_mem_{}, rx_mem_{};
  ConsumerRing<uint64_t> kernel_fill_;
  ProducerRing<xdp_desc> kernel_rx_;
  uint8_t* umem_ = nullptr;
  int event_fd_ = -1;
  std::shared_ptr<Region> ring_;
  RxCounters counters_;
  std::unique_ptr<RxWorker> worker_;
  std::thread generator_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> injected_{0};
};

}  // namespace xdpchain
