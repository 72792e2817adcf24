// Counter conversion (see stats_object.h).
#include "stats_object.h"

#include "../bpf/steer_abi.h"
#include "../native/frame.h"

namespace xdpchain {
namespace {

void put(Napi::Object& o, const char* key, uint64_t v) { o.Set(key, Napi::Number::New(o.Env(), static_cast<double>(v))); }

const char* const kVerdictNames[] = {"ok",         "truncated",    "malformed", "fragment",
                                     "badChecksum", "wrongAddress", "wrongPort", "oversize"};
static_assert(sizeof kVerdictNames / sizeof kVerdictNames[0] == static_cast<int>(RxVerdict::Count), "one name per verdict");

const char* const kSteerNames[] = {"redirected",   "noSocket",  "passNotIpv4", "passNotUdp",
                                   "passOtherAddress", "passOtherPort", "passFragment", "passTruncated"};
static_assert(sizeof kSteerNames / sizeof kSteerNames[0] == STEER_STAT_COUNT, "one name per steer stat");

const char* const kLaneVerdictNames[] = {"ok",        "malformed",    "wrongChain",     "badSignature",
                                         "duplicate", "laneRingFull", "verifyQueueFull"};
static_assert(sizeof kLaneVerdictNames / sizeof kLaneVerdictNames[0] == static_cast<int>(LaneVerdict::Count),
              "one name per lane verdict");

}  // namespace

Napi::Object rx_counters_object(Napi::Env env, const RxCounters& c) {
  Napi::Object o = Napi::Object::New(env);
  put(o, "frames", c.frames.get());
  put(o, "datagrams", c.datagrams.get());
  put(o, "bytes", c.bytes.get());
  put(o, "batches", c.batches.get());
  put(o, "wakeups", c.wakeups.get());
  put(o, "ringFull", c.ring_full.get());
  put(o, "polls", c.polls.get());
  put(o, "checksumPartial", c.checksum_partial.get());
  Napi::Object refused = Napi::Object::New(env);
  for (int i = 1; i < static_cast<int>(RxVerdict::Count); ++i) put(refused, kVerdictNames[i], c.refused[i].get());
  o.Set("refused", refused);
  return o;
}

Napi::Object tx_counters_object(Napi::Env env, const TxCounters& c) {
  Napi::Object o = Napi::Object::New(env);
  put(o, "datagrams", c.datagrams.get());
  put(o, "bytes", c.bytes.get());
  put(o, "kicks", c.kicks.get());
  put(o, "kickErrors", c.kick_errors.get());
  put(o, "ringFull", c.ring_full.get());
  put(o, "invalid", c.invalid.get());
  put(o, "completions", c.completions.get());
  return o;
}

Napi::Object kernel_stats_object(Napi::Env env, const XskKernelStats& k) {
  Napi::Object o = Napi::Object::New(env);
  put(o, "rxDropped", k.rx_dropped);
  put(o, "rxInvalidDescs", k.rx_invalid_descs);
  put(o, "txInvalidDescs", k.tx_invalid_descs);
  put(o, "rxRingFull", k.rx_ring_full);
  put(o, "fillRingEmpty", k.rx_fill_ring_empty_descs);
  put(o, "txRingEmpty", k.tx_ring_empty_descs);
  return o;
}

Napi::Object program_stats_object(Napi::Env env, const std::vector<uint64_t>& s) {
  Napi::Object o = Napi::Object::New(env);
  for (size_t i = 0; i < s.size() && i < STEER_STAT_COUNT; ++i) put(o, kSteerNames[i], s[i]);
  return o;
}

Napi::Object lane_stats_object(Napi::Env env, const LaneCounters& c, const LaneGauges& g) {
  Napi::Object o = Napi::Object::New(env);
  put(o, "received", c.received.get());
  put(o, "accepted", c.accepted.get());
  put(o, "batches", c.batches.get());
  put(o, "wakeups", c.wakeups.get());
  Napi::Object drops = Napi::Object::New(env);
  for (int i = 1; i < static_cast<int>(LaneVerdict::Count); ++i) put(drops, kLaneVerdictNames[i], c.dropped[i].get());
  o.Set("drops", drops);
  put(o, "dedupeEntries", g.dedupe_entries);
  put(o, "dedupeEvictions", g.dedupe_evictions);
  put(o, "verifyQueued", g.verify_queued);
  return o;
}

}  // namespace xdpchain
