// Receive loop (see rx_worker.h).
#include "rx_worker.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

namespace xdpchain {

RxWorker::RxWorker(const RxPort& port, JsRingProducer ring, RxCounters* counters, std::function<void()> signal,
                   const RxWorkerConfig& config)
    : port_(port), ring_(ring), counters_(counters), signal_(std::move(signal)), config_(config) {}

RxWorker::~RxWorker() {
  stop();
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

Status RxWorker::start() {
  if (config_.batch_max == 0 || config_.batch_max > port_.rx.size()) {
    return Status::fail(ErrorCode::InvalidArgument, 0, "batch_max must be 1..RX ring size");
  }
  if (config_.lane) lane_batch_.resize(config_.batch_max);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) return Status::fail(ErrorCode::Thread, errno, "eventfd");
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    return Status::fail(ErrorCode::Thread, e.code().value(), "std::thread");
  }
  std::string name = "xdp-rx-q" + std::to_string(config_.queue);
  pthread_setname_np(thread_.native_handle(), name.substr(0, 15).c_str());
  if (config_.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(config_.cpu, &set);
    pthread_setaffinity_np(thread_.native_handle(), sizeof set, &set);  // best effort: a hint, not a contract
  }
  return Status::success();
}

void RxWorker::stop() {
  stopping_.store(true, std::memory_order_release);
  if (stop_fd_ >= 0) {
    uint64_t one = 1;
    ssize_t ignored = ::write(stop_fd_, &one, sizeof one);
    (void)ignored;
  }
  if (thread_.joinable()) thread_.join();
}

void RxWorker::run() {
  while (!stopping_.load(std::memory_order_acquire)) {
    uint32_t first = 0;
    uint32_t n = port_.rx.peek(config_.batch_max, &first);
    if (n == 0) {
      idle();
      continue;
    }
    process(first, n);
  }
}

void RxWorker::idle() {
  if (port_.fill.needs_wakeup()) {
    // Copy mode rarely asks; drivers that do want a syscall before they look at the fill ring again.
    ::recvfrom(port_.fd, nullptr, 0, MSG_DONTWAIT, nullptr, nullptr);
  }
  if (config_.mode == PollMode::Busy) {
    __builtin_ia32_pause();
    return;
  }
  pollfd fds[2] = {{port_.fd, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  counters_->polls.add(1);
  ::poll(fds, 2, 1000);  // the timeout only bounds a missed wakeup; stop() always writes stop_fd_
  if (port_.fd_is_eventfd && (fds[0].revents & POLLIN)) {
    uint64_t ignored = 0;
    ssize_t r = ::read(port_.fd, &ignored, sizeof ignored);
    (void)r;
  }
}

void RxWorker::process(uint32_t first, uint32_t n) {
  const uint64_t stamp_us = config_.lane ? LanePipeline::now_us() : 0;  // the lane's receive stamp: frames just pulled
  uint32_t lane_n = 0;
  uint64_t refused[static_cast<int>(RxVerdict::Count)] = {};
  uint32_t delivered = 0;
  uint64_t bytes = 0;
  uint32_t full = 0;
  uint32_t partial = 0;
  uint32_t free = ring_.free_slots(n);
  const uint64_t frame_mask = ~static_cast<uint64_t>(port_.frame_bytes - 1);
  uint32_t fill_first = 0;
  // The fill ring has room for every frame we take out of RX: both are sized to the receive frames.
  uint32_t fill_n = port_.fill.reserve(n, &fill_first);
  for (uint32_t i = 0; i < n; ++i) {
    const xdp_desc& desc = port_.rx.at(first + i);
    RxDatagram dg;
    RxVerdict v = parse_udp_frame(port_.umem + desc.addr, desc.len, config_.filter, &dg);
    if (v != RxVerdict::Ok) {
      refused[static_cast<int>(v)]++;
    } else if (config_.lane && dg.dst_port == config_.lane_port) {
      lane_batch_[lane_n++] = LaneInput{dg.payload, dg.payload_len, dg.src_ip, dg.src_port, config_.queue};
      partial += dg.checksum_partial;
    } else if (free == 0) {
      ++full;
    } else {
      uint8_t* slot = ring_.next_slot();
      JsSlotHeader h{static_cast<uint16_t>(dg.payload_len), dg.src_port, dg.src_ip, dg.dst_port, config_.queue, 0};
      std::memcpy(slot, &h, sizeof h);
      std::memcpy(slot + kJsRingSlotHeaderBytes, dg.payload, dg.payload_len);
      ring_.commit_slot();
      partial += dg.checksum_partial;
      --free;
      ++delivered;
      bytes += dg.payload_len;
    }
    if (i < fill_n) port_.fill.at(fill_first + i) = desc.addr & frame_mask;
  }
  if (lane_n) config_.lane->submit(lane_batch_.data(), lane_n, stamp_us);  // copies: the frames are still ours
  port_.rx.release(n);
  port_.fill.submit();
  counters_->frames.add(n);
  if (full) counters_->ring_full.add(full);
  if (partial) counters_->checksum_partial.add(partial);
  for (int c = 1; c < static_cast<int>(RxVerdict::Count); ++c) {
    if (refused[c]) counters_->refused[c].add(refused[c]);
  }
  if (delivered == 0) return;
  counters_->datagrams.add(delivered);
  counters_->bytes.add(bytes);
  counters_->batches.add(1);
  if (ring_.publish()) {
    counters_->wakeups.add(1);
    signal_();
  }
}

}  // namespace xdpchain
