// Plain C++ tests of the order lane (native/lane_*.h), without sockets: the structural check over every length
// and prefix, the bounded dedupe table against a reference model, the ed25519 encoding rules and OpenSSL
// verification of orders signed here, and the pipeline (verifier threads, in-order publication, drops by cause,
// stamps, close while busy) with a consumer thread standing in for JavaScript. Run by native-tests.
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "../../native/lane_dedupe.h"
#include "../../native/lane_order.h"
#include "../../native/lane_pipeline.h"
#include "../../native/lane_ring.h"
#include "../../native/lane_verify.h"
#include "check.h"

using namespace xdpchain;

namespace {

const std::vector<uint8_t> kTag = [] {
  const char* name = "xdpchain/lane-order/v1";
  std::vector<uint8_t> t(name, name + std::strlen(name));
  t.push_back(0);
  return t;
}();

void store_be64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

struct Signer {
  EVP_PKEY* key = nullptr;
  uint8_t pub[32] = {};
  explicit Signer(uint8_t seed_byte) {
    uint8_t seed[32];
    std::memset(seed, seed_byte, 32);
    key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed, 32);
    size_t n = 32;
    EVP_PKEY_get_raw_public_key(key, pub, &n);
  }
  ~Signer() { EVP_PKEY_free(key); }
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // An order of `legs` legs for chain_id and nonce, signed over tag || body.
  std::vector<uint8_t> order(uint64_t chain_id, uint64_t nonce, uint32_t legs = 1) const {
    std::vector<uint8_t> o(kOrderHeaderBytes + kOrderLegBytes * legs + kOrderSignatureBytes, 0);
    o[0] = kOrderVersion;
    store_be64(&o[kOrderChainIdOffset], chain_id);
    std::memset(&o[9], 0xab, 20);
    std::memcpy(&o[kOrderTradingKeyOffset], pub, 32);
    store_be64(&o[kOrderNonceOffset], nonce);
    store_be64(&o[69], 0);
    o[kOrderLegCountOffset] = static_cast<uint8_t>(legs);
    for (uint32_t i = 0; i < kOrderLegBytes * legs; ++i) o[kOrderHeaderBytes + i] = static_cast<uint8_t>(i * 7 + nonce);
    const size_t body = o.size() - kOrderSignatureBytes;
    std::vector<uint8_t> msg(kTag);
    msg.insert(msg.end(), o.begin(), o.begin() + body);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t sig_len = 64;
    EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key);
    EVP_DigestSign(ctx, &o[body], &sig_len, msg.data(), msg.size());
    EVP_MD_CTX_free(ctx);
    return o;
  }
};

void expected_id(const std::vector<uint8_t>& order, uint8_t out[32]) {
  std::vector<uint8_t> msg(kTag);
  msg.insert(msg.end(), order.begin(), order.end() - kOrderSignatureBytes);
  unsigned int n = 0;
  EVP_Digest(msg.data(), msg.size(), out, &n, EVP_sha256(), nullptr);
}

void test_parse() {
  Signer s(1);
  LaneOrderView v;
  for (uint32_t legs = 1; legs <= kOrderLegsMax; ++legs) {
    std::vector<uint8_t> o = s.order(7, 1, legs);
    CHECK(parse_lane_order(o.data(), static_cast<uint32_t>(o.size()), 7, &v) == LaneVerdict::Ok);
    CHECK(v.legs == legs && v.nonce == 1 && std::memcmp(v.trading_key, s.pub, 32) == 0);
    CHECK(parse_lane_order(o.data(), static_cast<uint32_t>(o.size()), 8, &v) == LaneVerdict::WrongChain);
    CHECK(parse_lane_order(o.data(), static_cast<uint32_t>(o.size()) - 1, 7, &v) == LaneVerdict::Malformed);
  }
  std::vector<uint8_t> o = s.order(7, 1, 2);
  std::vector<uint8_t> longer(o);
  longer.push_back(0);
  CHECK(parse_lane_order(longer.data(), static_cast<uint32_t>(longer.size()), 7, &v) == LaneVerdict::Malformed);
  o[0] = 2;
  CHECK(parse_lane_order(o.data(), static_cast<uint32_t>(o.size()), 7, &v) == LaneVerdict::Malformed);
  o[0] = 1;
  o[kOrderLegCountOffset] = 0;
  CHECK(parse_lane_order(o.data(), static_cast<uint32_t>(o.size()), 7, &v) == LaneVerdict::Malformed);
  o[kOrderLegCountOffset] = 33;
  CHECK(parse_lane_order(o.data(), static_cast<uint32_t>(o.size()), 7, &v) == LaneVerdict::Malformed);
  o[kOrderLegCountOffset] = 3;  // declares more legs than the bytes hold
  CHECK(parse_lane_order(o.data(), static_cast<uint32_t>(o.size()), 7, &v) == LaneVerdict::Malformed);
  std::vector<uint8_t> big(kOrderBytesMax + 38, 0);
  big[0] = 1;
  big[kOrderLegCountOffset] = 33;
  CHECK(parse_lane_order(big.data(), static_cast<uint32_t>(big.size()), 0, &v) == LaneVerdict::Malformed);
  // Every prefix of a valid order is refused without reading past its end (ASan watches this).
  o = s.order(7, 1, 1);
  for (uint32_t cut = 0; cut < o.size(); ++cut) {
    std::vector<uint8_t> prefix(o.begin(), o.begin() + cut);
    CHECK(parse_lane_order(prefix.data(), cut, 7, &v) == LaneVerdict::Malformed);
  }
}

void test_dedupe_model(uint32_t capacity, uint32_t ops, uint32_t key_space) {
  DedupeTable t(capacity, 0x1234 + capacity);
  std::deque<std::pair<uint8_t, uint64_t>> fifo;  // the reference: insertion order, oldest first
  std::set<std::pair<uint8_t, uint64_t>> members;
  std::mt19937_64 rng(capacity * 7919u + ops);
  bool agree = true;
  for (uint32_t i = 0; i < ops; ++i) {
    uint8_t key[32] = {};
    key[0] = static_cast<uint8_t>(rng() % key_space);
    key[31] = key[0];
    uint64_t nonce = rng() % key_space;
    auto m = std::make_pair(key[0], nonce);
    bool present = members.count(m) != 0;
    agree &= t.contains(key, nonce) == present;
    if (rng() % 3 != 0) {
      agree &= t.insert(key, nonce) == !present;
      if (!present) {
        if (fifo.size() == capacity) {
          members.erase(fifo.front());
          fifo.pop_front();
        }
        fifo.push_back(m);
        members.insert(m);
      }
    }
    agree &= t.size() == fifo.size();
  }
  for (const auto& m : fifo) {  // everything the model holds is found, in particular after many evictions
    uint8_t key[32] = {};
    key[0] = key[31] = m.first;
    agree &= t.contains(key, m.second);
  }
  CHECK(agree);
}

void test_dedupe() {
  DedupeTable t(3, 99);
  uint8_t a[32] = {1}, b[32] = {2};
  CHECK(t.insert(a, 1) && t.insert(a, 2) && t.insert(b, 1));
  CHECK(!t.insert(a, 1));  // present: refused, nothing evicted
  CHECK(t.size() == 3 && t.evictions() == 0);
  CHECK(t.insert(b, 2));  // full: the oldest (a, 1) goes
  CHECK(!t.contains(a, 1) && t.contains(a, 2) && t.contains(b, 1) && t.contains(b, 2));
  CHECK(t.evictions() == 1);
  CHECK(!t.contains(b, 3));
  test_dedupe_model(1, 2000, 4);
  test_dedupe_model(7, 20000, 16);     // a small index: long probe runs wrap around the table
  test_dedupe_model(64, 50000, 40);
  test_dedupe_model(1000, 100000, 200);
}

void test_encoding_rules() {
  uint8_t k[32] = {};
  CHECK(!ed25519_key_acceptable(k));  // y = 0: order 4
  k[0] = 1;
  CHECK(!ed25519_key_acceptable(k));  // identity
  k[31] = 0x80;
  CHECK(!ed25519_key_acceptable(k));  // identity with the sign bit: still small order
  uint8_t p[32];
  std::memset(p, 0xff, 32);
  p[0] = 0xed;
  p[31] = 0x7f;
  CHECK(!ed25519_key_acceptable(p));  // y = p: not canonical
  p[0] = 0xee;
  CHECK(!ed25519_key_acceptable(p));  // y = p + 1 (an alias of the identity)
  p[0] = 0xec;
  CHECK(!ed25519_key_acceptable(p));  // y = p - 1: order 2
  Signer s(5);
  CHECK(ed25519_key_acceptable(s.pub));
  uint8_t l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14};
  l[31] = 0x10;
  CHECK(!ed25519_scalar_canonical(l));  // S == L
  l[0] = 0xec;
  CHECK(ed25519_scalar_canonical(l));   // L - 1
  l[0] = 0xee;
  CHECK(!ed25519_scalar_canonical(l));  // L + 1
}

void test_verifier() {
  Signer s(9);
  OrderVerifier v(kTag);
  uint8_t id[32], want[32];
  for (uint32_t legs : {1u, 5u, 32u}) {
    std::vector<uint8_t> o = s.order(3, legs, legs);
    CHECK(v.verify(o.data(), static_cast<uint32_t>(o.size()), id));
    expected_id(o, want);
    CHECK(std::memcmp(id, want, 32) == 0);
    std::vector<uint8_t> bad(o);
    bad[100] ^= 1;  // a leg byte: the message changed
    CHECK(!v.verify(bad.data(), static_cast<uint32_t>(bad.size()), id));
    bad = o;
    bad[bad.size() - 1] ^= 0x40;  // the signature's S
    CHECK(!v.verify(bad.data(), static_cast<uint32_t>(bad.size()), id));
  }
  std::vector<uint8_t> o = s.order(3, 1);
  Signer other(10);
  std::memcpy(&o[kOrderTradingKeyOffset], other.pub, 32);  // signed by s, claims other's key
  CHECK(!v.verify(o.data(), static_cast<uint32_t>(o.size()), id));
  OrderVerifier wrong_tag(std::vector<uint8_t>{'x', 0});
  o = s.order(3, 1);
  CHECK(!wrong_tag.verify(o.data(), static_cast<uint32_t>(o.size()), id));
  CHECK(v.order_id(o.data(), static_cast<uint32_t>(o.size()), id));
  expected_id(o, want);
  CHECK(std::memcmp(id, want, 32) == 0);
}

// Stands in for JavaScript: drains the lane ring when signalled (or on a short timeout) and records what it saw.
struct LaneJs {
  std::mutex m;
  std::condition_variable cv;
  bool signalled = false;
  uint32_t consumer = 0;
  std::vector<LaneSlotHeader> seen;
  std::vector<std::vector<uint8_t>> orders;

  void signal() {
    std::lock_guard<std::mutex> g(m);
    signalled = true;
    cv.notify_one();
  }
  void drain(uint8_t* base) {
    auto* words = reinterpret_cast<uint32_t*>(base);
    uint32_t slots = words[kJsRingInfoOffset / 4];
    __atomic_store_n(&words[kJsRingWakeOffset / 4], 0u, __ATOMIC_SEQ_CST);
    uint32_t prod = __atomic_load_n(&words[kJsRingProducerOffset / 4], __ATOMIC_SEQ_CST);
    for (; consumer != prod; ++consumer) {
      const uint8_t* slot = base + kJsRingSlotsOffset + static_cast<size_t>(consumer & (slots - 1)) * kLaneSlotBytes;
      LaneSlotHeader h;
      std::memcpy(&h, slot, sizeof h);
      seen.push_back(h);
      orders.emplace_back(slot + kLaneSlotHeaderBytes, slot + kLaneSlotHeaderBytes + h.order_len);
    }
    __atomic_store_n(&words[kJsRingConsumerOffset / 4], consumer, __ATOMIC_SEQ_CST);
  }
  void step(uint8_t* base, int timeout_ms) {
    std::unique_lock<std::mutex> g(m);
    cv.wait_for(g, std::chrono::milliseconds(timeout_ms), [&] { return signalled; });
    signalled = false;
    g.unlock();
    drain(base);
  }
};

uint64_t drops(const LaneCounters& c, LaneVerdict v) { return c.dropped[static_cast<int>(v)].get(); }

uint64_t settled(const LaneCounters& c) {
  uint64_t n = c.accepted.get();
  for (int i = 1; i < static_cast<int>(LaneVerdict::Count); ++i) n += c.dropped[i].get();
  return n;
}

LaneConfig lane_config(uint32_t threads) {
  LaneConfig c;
  c.enabled = true;
  c.port = 9100;
  c.chain_id = 3;
  c.domain_tag = kTag;
  c.verify_threads = threads;
  c.verify_queue_slots = 256;
  c.dedupe_capacity = 4096;
  c.ring_slots = 256;
  return c;
}

void submit_all(LanePipeline& p, const std::vector<std::vector<uint8_t>>& in, uint64_t stamp_us) {
  std::vector<LaneInput> batch;
  for (const auto& o : in) batch.push_back(LaneInput{o.data(), static_cast<uint32_t>(o.size()), 0x0a000001, 4000, 0});
  p.submit(batch.data(), static_cast<uint32_t>(batch.size()), stamp_us);
}

void test_pipeline(uint32_t threads) {
  LaneJs js;
  Status st;
  auto p = LanePipeline::open(lane_config(threads), [&js] { js.signal(); }, &st);
  CHECK(p != nullptr);
  if (!p) return;
  Signer s(21);
  const uint32_t rounds = 40, per = 16;  // batches of 16 orders, 4 of them bad in different ways
  uint64_t expect_accept = 0;
  for (uint32_t r = 0; r < rounds; ++r) {
    std::vector<std::vector<uint8_t>> batch;
    for (uint32_t i = 0; i < per - 4; ++i) batch.push_back(s.order(3, r * per + i, 1 + (i % 3)));
    expect_accept += per - 4;
    batch.push_back(s.order(3, r * per));   // same (key, nonce) as the first of this round: duplicate
    batch.push_back(s.order(4, 99999));     // wrong chain
    std::vector<uint8_t> bad = s.order(3, 1000000 + r);
    bad[90] ^= 0xff;
    batch.push_back(bad);                   // bad signature
    batch.push_back(std::vector<uint8_t>(50, 1));  // malformed
    // A stamp that goes back (another receive thread read its clock earlier): clamped, never decreasing.
    submit_all(*p, batch, 1000000 + (r % 2 ? r * 10 - 5 : r * 10));
    js.step(p->ring()->data(), 1);
  }
  const LaneCounters& c = p->counters();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (settled(c) < rounds * per && std::chrono::steady_clock::now() < deadline) js.step(p->ring()->data(), 5);
  // Counters move inside the verifier's critical section, before it publishes: taking the lock (gauges) waits it out.
  CHECK(p->gauges().verify_queued == 0);
  js.drain(p->ring()->data());
  CHECK(c.received.get() == rounds * per);
  CHECK(c.accepted.get() == expect_accept);
  CHECK(js.seen.size() == expect_accept);
  CHECK(drops(c, LaneVerdict::Duplicate) == rounds);
  CHECK(drops(c, LaneVerdict::WrongChain) == rounds);
  CHECK(drops(c, LaneVerdict::BadSignature) == rounds);
  CHECK(drops(c, LaneVerdict::Malformed) == rounds);
  CHECK(drops(c, LaneVerdict::VerifyQueueFull) == 0 && drops(c, LaneVerdict::LaneRingFull) == 0);
  CHECK(c.wakeups.get() <= c.batches.get());
  bool ordered = true, ids = true, sources = true;
  for (size_t i = 0; i < js.seen.size(); ++i) {
    const LaneSlotHeader& h = js.seen[i];
    uint64_t stamp = h.stamp_us_lo | static_cast<uint64_t>(h.stamp_us_hi) << 32;
    if (i > 0) {
      const LaneSlotHeader& prev = js.seen[i - 1];
      uint64_t prev_stamp = prev.stamp_us_lo | static_cast<uint64_t>(prev.stamp_us_hi) << 32;
      ordered &= h.local_seq > prev.local_seq && stamp >= prev_stamp;
    }
    uint8_t want[32];
    expected_id(js.orders[i], want);
    ids &= std::memcmp(h.order_id, want, 32) == 0 && h.order_len == js.orders[i].size();
    sources &= h.src_ip == 0x0a000001 && h.src_port == 4000;
  }
  CHECK(ordered);
  CHECK(ids);
  CHECK(sources);
  CHECK(!js.seen.empty() && js.seen.front().local_seq == 1);
  CHECK(p->gauges().dedupe_entries == expect_accept && p->gauges().verify_queued == 0);
  p->stop();
  p->stop();  // idempotent
}

void test_pipeline_bounds() {
  LaneJs js;  // never drains: the ring fills
  Status st;
  LaneConfig cfg = lane_config(1);
  cfg.ring_slots = 64;
  cfg.verify_queue_slots = 16;
  auto p = LanePipeline::open(cfg, [&js] { js.signal(); }, &st);
  CHECK(p != nullptr);
  if (!p) return;
  Signer s(33);
  std::vector<std::vector<uint8_t>> batch;
  for (uint32_t i = 0; i < 64; ++i) batch.push_back(s.order(3, i));
  submit_all(*p, batch, 5);  // one receive batch of 64 (taken under one lock): only 16 fit the verifier's queue
  const LaneCounters& c = p->counters();
  CHECK(drops(c, LaneVerdict::VerifyQueueFull) == 64 - 16);
  for (uint32_t round = 0; round < 20; ++round) {  // keep feeding in queue-sized batches until the ring is full
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (p->gauges().verify_queued > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::vector<std::vector<uint8_t>> more;
    for (uint32_t i = 0; i < 16; ++i) more.push_back(s.order(3, 1000 + round * 16 + i));
    submit_all(*p, more, 6);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (p->gauges().verify_queued > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(c.accepted.get() == 64);  // exactly the ring's slots
  CHECK(drops(c, LaneVerdict::LaneRingFull) == settled(c) - 64 - drops(c, LaneVerdict::VerifyQueueFull));
  CHECK(drops(c, LaneVerdict::LaneRingFull) > 0);
  // Orders dropped for a full ring are not remembered: once JavaScript drains, a re-send is accepted.
  js.drain(p->ring()->data());
  std::vector<std::vector<uint8_t>> again{s.order(3, 1000 + 19 * 16)};
  submit_all(*p, again, 7);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (c.accepted.get() < 65 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(c.accepted.get() == 65);
  p->stop();
}

void test_pipeline_close_while_busy() {
  for (int round = 0; round < 10; ++round) {
    LaneJs js;
    Status st;
    auto p = LanePipeline::open(lane_config(1 + round % 3), [&js] { js.signal(); }, &st);
    CHECK(p != nullptr);
    if (!p) return;
    Signer s(40);
    std::vector<std::vector<uint8_t>> batch;
    for (uint32_t i = 0; i < 64; ++i) batch.push_back(s.order(3, i));
    for (int k = 0; k < 4; ++k) submit_all(*p, batch, 1);
    for (int i = 0; i < round; ++i) js.step(p->ring()->data(), 1);
    p->stop();  // verifiers joined with work queued
    p.reset();
  }
}

}  // namespace

void run_lane_tests() {
  test_parse();
  test_dedupe();
  test_encoding_rules();
  test_verifier();
  test_pipeline(1);
  test_pipeline(3);
  test_pipeline_bounds();
  test_pipeline_close_while_busy();
}
