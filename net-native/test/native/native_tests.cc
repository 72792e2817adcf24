// Plain C++ tests of net-native's native layer, without root, sockets or a network device: ring views over
// ordinary memory, checksums and frame building/validation, the shared JS ring's wake handshake, the receive
// worker fed by FakeNic (with a consumer thread standing in for JavaScript), close while busy, and the send
// path over fake TX/completion rings; the order lane's parsing, dedupe, verification and pipeline are in
// lane_tests.cc. Built by scripts/build.mjs; `npm run test:asan` runs it under ASan+UBSan.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "../../native/fake_nic.h"
#include "../../native/frame.h"
#include "../../native/js_ring.h"
#include "../../native/lane_pipeline.h"
#include "../../native/tx_path.h"
#include "../../native/xsk_ring.h"
#include "check.h"

using namespace xdpchain;

int g_passed = 0, g_failed = 0;

void run_lane_tests();  // lane_tests.cc

struct FakeRing {  // one ring laid out in plain memory
  alignas(64) uint32_t producer = 0;
  alignas(64) uint32_t consumer = 0;
  alignas(64) uint32_t flags = 0;
  std::vector<uint8_t> descs;
  FakeRing(uint32_t size, size_t entry) : descs(size * entry) {}
  RingMemory mem(uint32_t size) { return RingMemory{&producer, &consumer, &flags, descs.data(), size}; }
};

static void test_rings_wrap() {
  FakeRing r(8, sizeof(uint64_t));
  ProducerRing<uint64_t> prod(r.mem(8));
  ConsumerRing<uint64_t> cons(r.mem(8));
  uint64_t next_in = 0, next_out = 0;
  for (int round = 0; round < 100; ++round) {  // indexes wrap the 8-entry array many times
    uint32_t first = 0;
    uint32_t n = prod.reserve(5, &first);
    for (uint32_t i = 0; i < n; ++i) prod.at(first + i) = next_in++;
    prod.submit();
    uint32_t c = cons.peek(3, &first);
    for (uint32_t i = 0; i < c; ++i) CHECK(cons.at(first + i) == next_out++);
    cons.release(c);
  }
  uint32_t first = 0;
  CHECK(prod.reserve(100, &first) <= 8);
  FakeRing r2(4, sizeof(uint64_t));
  ProducerRing<uint64_t> full(r2.mem(4));
  CHECK(full.reserve(4, &first) == 4);
  full.submit();
  CHECK(full.reserve(1, &first) == 0);  // nothing consumed: no room
  CHECK(full.outstanding() == 4);
}

static void test_checksum() {
  const uint8_t rfc1071[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  CHECK(checksum_fold(checksum_add(0, rfc1071, sizeof rfc1071)) == static_cast<uint16_t>(~0xddf2 & 0xffff));
  const uint8_t odd[] = {0x01, 0x02, 0x03};
  CHECK(checksum_fold(checksum_add(0, odd, 3)) == static_cast<uint16_t>(~(0x0102 + 0x0300) & 0xffff));
}

static uint32_t build(uint8_t* f, uint32_t payload_len, uint16_t dst_port = 9000) {
  static const uint8_t payload[2048] = {1, 2, 3, 4, 5};
  TxHeaderTemplate from;
  from.src_ip = 0x0a000001;
  TxDatagram d;
  d.dst_ip = 0x0a000002;
  d.src_port = 1234;
  d.dst_port = dst_port;
  d.payload = payload;
  d.payload_len = payload_len;
  return build_udp_frame(f, 2048, from, d, 7);
}

static void test_frames() {
  RxFilter filter;
  filter.local_ip = 0x0a000002;
  filter.ports[0] = 9000;
  filter.port_count = 1;
  filter.payload_max = 1472;
  uint8_t f[2048];
  RxDatagram dg;
  uint32_t len = build(f, 5);
  CHECK(len == kFrameHeaderBytes + 5);
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Ok);
  CHECK(dg.src_ip == 0x0a000001 && dg.src_port == 1234 && dg.dst_port == 9000 && dg.payload_len == 5);
  CHECK(std::memcmp(dg.payload, "\x01\x02\x03\x04\x05", 5) == 0);
  CHECK(parse_udp_frame(f, 60, filter, &dg) == RxVerdict::Ok);  // Ethernet padding after the datagram
  CHECK(parse_udp_frame(f, len - 1, filter, &dg) == RxVerdict::Truncated);
  CHECK(parse_udp_frame(f, 20, filter, &dg) == RxVerdict::Truncated);
  len = build(f, 5, 9001);
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::WrongPort);
  len = build(f, 1473);
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Oversize);
  len = build(f, 5);
  f[len - 1] ^= 1;
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::BadChecksum);
  f[len - 1] ^= 1;
  f[kEthHeaderBytes + 8] = 1;  // TTL changed: IPv4 header checksum no longer matches
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::BadChecksum);
  len = build(f, 5);
  f[kEthHeaderBytes + 6] |= 0x20;  // more fragments
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Fragment);
  len = build(f, 5);
  f[12] = 0x86;  // IPv6 EtherType
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Malformed);
  len = build(f, 5);
  f[kEthHeaderBytes + 20 + 6] = 0;  // UDP checksum cleared: "no checksum" is valid in IPv4
  f[kEthHeaderBytes + 20 + 7] = 0;
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Ok);
  CHECK(!dg.checksum_partial);
  len = build(f, 5);
  f[kEthHeaderBytes + 20 + 6] = 0x14;  // what a local sender with checksum offload leaves: the pseudo-header sum
  f[kEthHeaderBytes + 20 + 7] = 0x21;  // 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 13
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Ok);
  CHECK(dg.checksum_partial);
  f[len - 1] ^= 1;  // nothing covers the payload then: accepted, as the kernel would for an offloaded local frame
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Ok);
  f[kEthHeaderBytes + 20 + 7] = 0x22;
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::BadChecksum);
  len = build(f, 5);
  f[kEthHeaderBytes + 20 + 4] = 0xff;  // UDP length beyond the IPv4 datagram
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::Malformed);
  filter.local_ip = 0x0a000003;
  len = build(f, 5);
  CHECK(parse_udp_frame(f, len, filter, &dg) == RxVerdict::WrongAddress);
  // Every prefix of a valid frame is refused without reading past its end (ASan watches this).
  filter.local_ip = 0x0a000002;
  len = build(f, 40);
  for (uint32_t cut = 0; cut < len; ++cut) {
    std::vector<uint8_t> prefix(f, f + cut);
    CHECK(parse_udp_frame(prefix.data(), cut, filter, &dg) != RxVerdict::Ok);
  }
}

static void test_js_ring_wake() {
  std::vector<uint8_t> mem(js_ring_bytes(4, 256));
  JsRingProducer::format(mem.data(), 4, 256);
  JsRingProducer p(mem.data(), 4, 256);
  auto* words = reinterpret_cast<uint32_t*>(mem.data());
  CHECK(p.free_slots() == 4);
  p.commit_slot();
  CHECK(p.publish() == true);   // first batch: signal
  p.commit_slot();
  CHECK(p.publish() == false);  // JS has not drained yet: no second signal
  CHECK(words[kJsRingProducerOffset / 4] == 2);
  words[kJsRingWakeOffset / 4] = 0;  // JS: clear wake, then drain
  words[kJsRingConsumerOffset / 4] = 2;
  p.commit_slot();
  CHECK(p.publish() == true);
  p.commit_slot();
  CHECK(p.free_slots() == 2);  // cached view exhausted: re-reads the consumer index JS released
  p.commit_slot();
  p.commit_slot();
  CHECK(p.free_slots() == 0);
  words[kJsRingConsumerOffset / 4] = 5;
  CHECK(p.free_slots() == 3);
  words[kJsRingConsumerOffset / 4] = 6;
  CHECK(p.free_slots(4) == 4);  // a stale view smaller than the batch is refreshed, not trusted
}

// Stands in for the JavaScript thread: drains the ring whenever signalled, checks every payload.
struct FakeJs {
  std::mutex m;
  std::condition_variable cv;
  bool signalled = false;
  uint32_t consumer = 0;
  uint64_t received = 0, corrupt = 0;

  void signal() {
    std::lock_guard<std::mutex> g(m);
    signalled = true;
    cv.notify_one();
  }
  void drain(uint8_t* base) {
    auto* words = reinterpret_cast<uint32_t*>(base);
    uint32_t slots = words[kJsRingInfoOffset / 4], slot_bytes = words[kJsRingInfoOffset / 4 + 1];
    __atomic_store_n(&words[kJsRingWakeOffset / 4], 0u, __ATOMIC_SEQ_CST);
    uint32_t prod = __atomic_load_n(&words[kJsRingProducerOffset / 4], __ATOMIC_SEQ_CST);
    for (; consumer != prod; ++consumer) {
      const uint8_t* slot = base + kJsRingSlotsOffset + static_cast<size_t>(consumer & (slots - 1)) * slot_bytes;
      JsSlotHeader h;
      std::memcpy(&h, slot, sizeof h);
      const uint8_t* pl = slot + kJsRingSlotHeaderBytes;
      uint32_t seq = pl[0] | (pl[1] << 8) | (pl[2] << 16) | (static_cast<uint32_t>(pl[3]) << 24);
      bool ok = h.payload_len >= 4 && h.dst_port == 9000 && h.src_ip == 0x0a000001;
      for (uint32_t i = 4; ok && i < h.payload_len; ++i) ok = pl[i] == static_cast<uint8_t>((seq * 31u + i) & 0xff);
      corrupt += !ok;
      ++received;
    }
    __atomic_store_n(&words[kJsRingConsumerOffset / 4], consumer, __ATOMIC_SEQ_CST);
  }
  // Waits for a signal (bounded) and drains; returns false on timeout.
  bool step(uint8_t* base, int timeout_ms) {
    std::unique_lock<std::mutex> g(m);
    bool got = cv.wait_for(g, std::chrono::milliseconds(timeout_ms), [&] { return signalled; });
    signalled = false;
    g.unlock();
    drain(base);
    return got;
  }
};

static void test_fake_nic_delivery(PollMode mode) {
  FakeJs js;
  FakeNicConfig c;
  c.poll = mode;
  c.ring_slots = 256;  // smaller than the injection, so JS must keep releasing slots
  c.frames = 512;
  Status st;
  auto nic = FakeNic::open(c, [&js] { js.signal(); }, &st);
  CHECK(nic != nullptr);
  if (!nic) return;
  InjectSpec spec;
  spec.count = 20000;
  spec.payload_bytes = 100;
  spec.bad_checksum_every = 1000;
  spec.truncate_every = 1001;
  spec.wrong_port_every = 1002;
  CHECK(nic->inject(spec).ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const RxCounters& k = nic->counters();
  auto refused = [&] {
    uint64_t r = 0;
    for (int i = 1; i < static_cast<int>(RxVerdict::Count); ++i) r += k.refused[i].get();
    return r;
  };
  while (std::chrono::steady_clock::now() < deadline && k.frames.get() < spec.count) js.step(nic->ring()->data(), 50);
  js.drain(nic->ring()->data());
  CHECK(k.frames.get() == spec.count);
  CHECK(k.refused[static_cast<int>(RxVerdict::BadChecksum)].get() == 20);
  CHECK(k.refused[static_cast<int>(RxVerdict::Truncated)].get() == 19);
  CHECK(k.refused[static_cast<int>(RxVerdict::WrongPort)].get() == 19);
  CHECK(js.received + k.ring_full.get() + refused() == spec.count);
  CHECK(js.corrupt == 0);
  CHECK(k.wakeups.get() <= k.batches.get());  // never more than one wakeup per batch
  nic->close();
}

// Datagrams to the lane port go to the lane pipeline and never into the datagram ring.
static void test_fake_nic_lane_routing() {
  FakeJs js;
  LaneConfig lc;
  lc.enabled = true;
  lc.port = 9100;
  lc.domain_tag = {'t', 0};
  Status st;
  auto lane = LanePipeline::open(lc, [&js] { js.signal(); }, &st);
  CHECK(lane != nullptr);
  if (!lane) return;
  FakeNicConfig c;
  c.lane = lane.get();
  c.lane_port = 9100;
  auto nic = FakeNic::open(c, [&js] { js.signal(); }, &st);
  CHECK(nic != nullptr);
  if (!nic) return;
  InjectSpec spec;
  spec.count = 10000;
  spec.payload_bytes = 100;  // not an order: every lane datagram is malformed
  spec.lane_every = 10;
  CHECK(nic->inject(spec).ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline && nic->counters().frames.get() < spec.count) js.step(nic->ring()->data(), 50);
  js.drain(nic->ring()->data());
  CHECK(js.received + nic->counters().ring_full.get() == 9000);
  CHECK(js.corrupt == 0);  // FakeJs checks dst_port == 9000 on every datagram it sees
  CHECK(lane->counters().received.get() == 1000);
  CHECK(lane->counters().dropped[static_cast<int>(LaneVerdict::Malformed)].get() == 1000);
  nic->close();
  lane->stop();
}

static void test_close_while_busy() {
  for (int round = 0; round < 20; ++round) {
    FakeJs js;
    FakeNicConfig c;
    c.poll = round % 2 ? PollMode::Busy : PollMode::Wakeup;
    c.ring_slots = 64;
    c.frames = 256;
    Status st;
    auto nic = FakeNic::open(c, [&js] { js.signal(); }, &st);
    CHECK(nic != nullptr);
    if (!nic) return;
    InjectSpec spec;
    spec.count = 1u << 30;  // far more than will ever be sent: close() must interrupt it
    CHECK(nic->inject(spec).ok());
    for (int i = 0; i < round; ++i) js.step(nic->ring()->data(), 2);
    nic->close();  // generator and worker joined while frames are in flight
    nic->close();  // idempotent
    nic.reset();
  }
}

static void test_tx_path() {
  const uint32_t frames = 8, frame_bytes = 2048;
  FakeRing tx(frames, sizeof(xdp_desc)), comp(frames, sizeof(uint64_t));
  std::vector<uint8_t> umem(frames * frame_bytes * 2);
  TxCounters counters;
  TxPort port{TxRing(tx.mem(frames)), CompletionRing(comp.mem(frames)), umem.data(), frame_bytes, frames, frames, -1, false};
  TxHeaderTemplate from;
  from.src_ip = 0x0a000002;
  TxPath path(port, from, &counters);
  std::vector<uint8_t> staged(4096);
  size_t off = 0;
  for (uint16_t i = 0; i < 5; ++i) {
    TxStagedHeader h{0x0a000001, 9000, static_cast<uint16_t>(10 + i), {2, 0, 0, 0, 0, 9}, 7000};
    std::memcpy(staged.data() + off, &h, sizeof h);
    std::memset(staged.data() + off + sizeof h, 'a' + i, h.payload_len);
    off = (off + sizeof h + h.payload_len + 7) & ~static_cast<size_t>(7);
  }
  CHECK(path.send(staged.data(), off, 5) == 5);
  CHECK(tx.producer == 5);
  RxFilter filter;
  filter.local_ip = 0x0a000001;
  filter.ports[0] = 9000;
  filter.port_count = 1;
  filter.payload_max = 1472;
  auto* descs = reinterpret_cast<xdp_desc*>(tx.descs.data());
  for (uint32_t i = 0; i < 5; ++i) {
    RxDatagram dg;
    CHECK(parse_udp_frame(umem.data() + descs[i].addr, descs[i].len, filter, &dg) == RxVerdict::Ok);
    CHECK(dg.payload_len == 10 + i && dg.payload[0] == 'a' + i && dg.src_port == 7000);
  }
  // The "kernel" has not completed anything: only 3 frames remain, the rest are counted as ring_full.
  tx.consumer = 5;
  CHECK(path.send(staged.data(), off, 5) == 3);
  CHECK(counters.ring_full.get() == 2);
  // Completions return frames; a truncated staging area is refused and counted, not read past.
  auto* done = reinterpret_cast<uint64_t*>(comp.descs.data());
  for (uint32_t i = 0; i < 8; ++i) done[i] = descs[i].addr;
  comp.producer = 8;
  tx.consumer = 8;
  CHECK(path.send(staged.data(), 20, 2) == 0);
  CHECK(counters.invalid.get() == 2);
  CHECK(path.in_flight() == 0);
}

int main() {
  test_rings_wrap();
  test_checksum();
  test_frames();
  test_js_ring_wake();
  test_fake_nic_delivery(PollMode::Wakeup);
  test_fake_nic_delivery(PollMode::Busy);
  test_fake_nic_lane_routing();
  test_close_while_busy();
  test_tx_path();
  run_lane_tests();
  std::fflush(stderr);
  std::printf("native-tests: %d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
