// Lane ingest: submit, verify, publish in order (see lane_pipeline.h).
#include "lane_pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <sys/random.h>
#include <time.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "lane_verify.h"

namespace xdpchain {
namespace {

bool is_pow2(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

uint64_t random_seed() {
  uint64_t seed = 0;
  if (::getrandom(&seed, sizeof seed, 0) != sizeof seed) {
    seed = LanePipeline::now_us() * 0x9e3779b97f4a7c15ull;  // no entropy source: still differs per run
  }
  return seed;
}

}  // namespace

Status check_lane_config(const LaneConfig& c) {
  if (!c.enabled) return Status::success();
  auto bad = [](const char* what) { return Status::fail(ErrorCode::InvalidArgument, 0, what); };
  if (c.port == 0) return bad("lane port must be 1..65535");
  if (c.domain_tag.empty() || c.domain_tag.size() > kDomainTagBytesMax) return bad("lane domain tag must be 1..64 bytes");
  if (c.verify_threads < 1 || c.verify_threads > kLaneVerifyThreadsMax) return bad("lane verify threads must be 1..8");
  if (!is_pow2(c.verify_queue_slots) || c.verify_queue_slots < 16 || c.verify_queue_slots > 65536) {
    return bad("lane verify queue slots must be a power of two, 16..65536");
  }
  if (c.dedupe_capacity < 1 || c.dedupe_capacity > kDedupeCapacityMax) return bad("lane dedupe capacity must be 1..2^20");
  if (!is_pow2(c.ring_slots) || c.ring_slots < 2 * kLanePublishBatchMax || c.ring_slots > 65536) {
    return bad("lane ring slots must be a power of two, 64..65536");
  }
  return Status::success();
}

uint64_t LanePipeline::now_us() {
  timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

LanePipeline::LanePipeline(const LaneConfig& config, uint64_t seed)
    : config_(config), dedupe_(config.dedupe_capacity, seed) {}

std::unique_ptr<LanePipeline> LanePipeline::open(const LaneConfig& config, std::function<void()> signal, Status* status) {
  *status = check_lane_config(config);
  if (!status->ok()) return nullptr;
  if (!config.enabled) {
    *status = Status::fail(ErrorCode::InvalidArgument, 0, "lane not enabled");
    return nullptr;
  }
  std::unique_ptr<LanePipeline> p(new LanePipeline(config, random_seed()));
  p->signal_ = std::move(signal);
  p->ring_region_ = Region::allocate(js_ring_bytes(config.ring_slots, kLaneSlotBytes));
  if (!p->ring_region_) {
    *status = Status::fail(ErrorCode::InvalidArgument, errno, "mmap(lane ring)");
    return nullptr;
  }
  JsRingProducer::format(p->ring_region_->data(), config.ring_slots, kLaneSlotBytes, kLaneRingMagic);
  p->ring_ = JsRingProducer(p->ring_region_->data(), config.ring_slots, kLaneSlotBytes);
  for (uint32_t k = 0; k < config.verify_threads; ++k) {
    auto q = std::make_unique<Queue>();
    q->items.resize(config.verify_queue_slots);
    p->queues_.push_back(std::move(q));
  }
  for (uint32_t k = 0; k < config.verify_threads; ++k) {
    try {
      p->threads_.emplace_back([raw = p.get(), k] { raw->run(k); });
    } catch (const std::system_error& e) {
      p->stop();
      *status = Status::fail(ErrorCode::Thread, e.code().value(), "std::thread (lane verifier)");
      return nullptr;
    }
    std::string name = "xdp-lane-v" + std::to_string(k);
    pthread_setname_np(p->threads_.back().native_handle(), name.c_str());
  }
  *status = Status::success();
  return p;
}

LanePipeline::~LanePipeline() { stop(); }

void LanePipeline::stop() {
  {
    std::lock_guard<std::mutex> g(mutex_);
    stopping_ = true;
  }
  for (auto& q : queues_) q->ready.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void LanePipeline::submit(const LaneInput* in, uint32_t n, uint64_t stamp_us) {
  constexpr uint32_t kChunk = 64;
  const uint32_t threads = config_.verify_threads;
  for (uint32_t base = 0; base < n; base += kChunk) {
    const uint32_t m = std::min(kChunk, n - base);
    LaneVerdict verdicts[kChunk];
    for (uint32_t i = 0; i < m; ++i) {  // the structural check needs no lock
      LaneOrderView view;
      verdicts[i] = parse_lane_order(in[base + i].payload, in[base + i].len, config_.chain_id, &view);
    }
    uint32_t wake = 0;  // bit k: queue k got work
    {
      std::lock_guard<std::mutex> g(mutex_);
      if (stopping_) return;
      // Another receive thread may have stamped later than this batch's clock read: never go back.
      stamp_us = std::max(stamp_us, last_stamp_us_);
      last_stamp_us_ = stamp_us;
      counters_.received.add(m);
      for (uint32_t i = 0; i < m; ++i) {
        if (verdicts[i] != LaneVerdict::Ok) {
          counters_.dropped[static_cast<int>(verdicts[i])].add(1);
          continue;
        }
        const uint32_t k = static_cast<uint32_t>(dispatched_ % threads);
        Queue& q = *queues_[k];
        if (q.produced - q.consumed == q.items.size()) {
          counters_.dropped[static_cast<int>(LaneVerdict::VerifyQueueFull)].add(1);
          continue;
        }
        const LaneInput& d = in[base + i];
        Item& it = q.items[q.produced & (q.items.size() - 1)];
        it.stamp_us = stamp_us;
        seq_ = seq_ == UINT32_MAX ? 1 : seq_ + 1;
        it.seq = seq_;
        it.src_ip = d.src_ip;
        it.src_port = d.src_port;
        it.len = static_cast<uint16_t>(d.len);
        it.queue = d.queue;
        it.verdict = LaneVerdict::Ok;
        std::memcpy(it.bytes, d.payload, d.len);
        ++q.produced;
        ++dispatched_;
        wake |= 1u << k;
      }
    }
    for (uint32_t k = 0; k < threads; ++k) {
      if (wake & (1u << k)) queues_[k]->ready.notify_one();
    }
  }
}

void LanePipeline::run(uint32_t k) {
  OrderVerifier verifier(config_.domain_tag);
  Queue& q = *queues_[k];
  const uint64_t mask = q.items.size() - 1;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    q.ready.wait(lock, [&] { return stopping_ || q.verified != q.produced; });
    if (stopping_) return;
    Item& it = q.items[q.verified & mask];
    if (dedupe_.contains(it.bytes + kOrderTradingKeyOffset, load_be64(it.bytes + kOrderNonceOffset))) {
      it.verdict = LaneVerdict::Duplicate;  // already accepted: not worth an ed25519 check
    } else {
      lock.unlock();  // the item is ours until verified advances past it
      it.verdict = verifier.verify(it.bytes, it.len, it.id) ? LaneVerdict::Ok : LaneVerdict::BadSignature;
      lock.lock();
    }
    ++q.verified;
    if (publish_ready(q.verified == q.produced)) {
      lock.unlock();
      signal_();
      lock.lock();
    }
  }
}

bool LanePipeline::publish_ready(bool flush) {
  const uint32_t threads = config_.verify_threads;
  for (;;) {
    Queue& q = *queues_[published_ % threads];
    if (q.consumed == q.verified) break;  // the next record in local_seq order is still being verified
    publish_item(q.items[q.consumed & (q.items.size() - 1)]);
    ++q.consumed;
    ++published_;
  }
  if (unpublished_ == 0 || (!flush && unpublished_ < kLanePublishBatchMax)) return false;
  unpublished_ = 0;
  counters_.batches.add(1);
  if (!ring_.publish()) return false;  // JavaScript has not drained the previous batch: it will see this one too
  counters_.wakeups.add(1);
  return true;
}

void LanePipeline::publish_item(Item& it) {
  if (it.verdict != LaneVerdict::Ok) {
    counters_.dropped[static_cast<int>(it.verdict)].add(1);
    return;
  }
  const uint8_t* key = it.bytes + kOrderTradingKeyOffset;
  const uint64_t nonce = load_be64(it.bytes + kOrderNonceOffset);
  if (dedupe_.contains(key, nonce)) {  // a copy that was verified alongside the one accepted first
    counters_.dropped[static_cast<int>(LaneVerdict::Duplicate)].add(1);
    return;
  }
  if (ring_.free_slots() == 0) {  // not remembered: a re-send may still get in once JavaScript catches up
    counters_.dropped[static_cast<int>(LaneVerdict::LaneRingFull)].add(1);
    return;
  }
  dedupe_.insert(key, nonce);
  uint8_t* slot = ring_.next_slot();
  LaneSlotHeader h{};
  h.order_len = it.len;
  h.src_port = it.src_port;
  h.src_ip = it.src_ip;
  h.local_seq = it.seq;
  h.queue = it.queue;
  h.stamp_us_lo = static_cast<uint32_t>(it.stamp_us);
  h.stamp_us_hi = static_cast<uint32_t>(it.stamp_us >> 32);
  std::memcpy(h.order_id, it.id, 32);
  std::memcpy(slot, &h, sizeof h);
  std::memcpy(slot + kLaneSlotHeaderBytes, it.bytes, it.len);
  ring_.commit_slot();
  ++unpublished_;
  counters_.accepted.add(1);
}

LaneGauges LanePipeline::gauges() {
  std::lock_guard<std::mutex> g(mutex_);
  LaneGauges out;
  out.dedupe_entries = dedupe_.size();
  out.dedupe_evictions = dedupe_.evictions();
  for (auto& q : queues_) out.verify_queued += static_cast<uint32_t>(q->produced - q->consumed);
  return out;
}

}  // namespace xdpchain
