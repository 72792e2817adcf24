// The receive thread of one queue: takes frames from the AF_XDP RX ring, validates them (frame.h), copies the
// datagrams into the shared JavaScript ring (js_ring.h), returns the frames to the fill ring, and signals
// JavaScript at most once per published batch. Refused frames are counted by cause, never reported as errors.
// Datagrams to the lane port (when configured) never enter that ring: they go, with the batch's receive stamp,
// to the lane pipeline (lane_pipeline.h), which copies them before the frames return to the fill ring.
//
// Threads: start() and stop() on the JavaScript thread; run() on its own std::thread, which is the only user of
// the port's RX and fill rings and of the JS ring's producer side. The signal callback is called from that
// thread and must be thread-safe (the binding passes a napi threadsafe function call).
// Syscalls on the thread: poll(2) on the socket and a stop eventfd (wakeup mode), recvfrom(2) to kick the fill
// ring when the kernel asks (XDP_RING_NEED_WAKEUP). Busy mode never sleeps: use it only on a core of its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "counters.h"
#include "frame.h"
#include "js_ring.h"
#include "lane_pipeline.h"
#include "status.h"
#include "xsk_ring.h"

namespace xdpchain {

enum class PollMode : uint8_t { Wakeup, Busy };

// Where frames come from: an AF_XDP socket's rings, or plain memory in tests (fd is then any pollable fd).
struct RxPort {
  RxRing rx;
  FillRing fill;
  const uint8_t* umem = nullptr;
  uint32_t frame_bytes = 0;
  int fd = -1;
  bool fd_is_eventfd = false;  // tests stand an eventfd in for the socket: read it to re-arm poll(2)
};

struct RxWorkerConfig {
  PollMode mode = PollMode::Wakeup;
  uint32_t batch_max = 64;
  uint16_t queue = 0;
  int cpu = -1;  // pin the thread to this CPU when >= 0
  RxFilter filter;  // includes the lane port when there is a lane
  LanePipeline* lane = nullptr;  // owned by the engine, outlives the worker
  uint16_t lane_port = 0;
};

class RxWorker {
 public:
  RxWorker(const RxPort& port, JsRingProducer ring, RxCounters* counters, std::function<void()> signal,
           const RxWorkerConfig& config);
  ~RxWorker();
  RxWorker(const RxWorker&) = delete;
  RxWorker& operator=(const RxWorker&) = delete;

  Status start();
  // Wakes the thread and joins it. Idempotent. Frames still in the RX ring stay there and die with the socket.
  void stop();

 private:
  void run();
  void idle();
  void process(uint32_t first, uint32_t n);

  RxPort port_;
  JsRingProducer ring_;
  RxCounters* counters_;
  std::function<void()> signal_;
  RxWorkerConfig config_;
  std::vector<LaneInput> lane_batch_;  // this batch's lane datagrams (batch_max entries, allocated at start)
  std::atomic<bool> stopping_{false};
  int stop_fd_ = -1;
  std::thread thread_;
};

}  // namespace xdpchain
