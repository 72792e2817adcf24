// The structural check of an order-lane datagram, before anything is queued for verification: exactly one
// encoded OrderAction (consensus/lane/order-codec.ts) of 78 + 38*N + 64 bytes, version 1, 1 <= N <= 32, for our
// chain. Not the semantic rules (consensus/lane/order-validation.ts) and not the signature (lane_verify.h).
// Pure function over caller-owned memory; any thread, no syscalls. Big-endian integers, as the codec writes.
#pragma once

#include <cstdint>

namespace xdpchain {

constexpr uint32_t kOrderHeaderBytes = 78;
constexpr uint32_t kOrderLegBytes = 38;
constexpr uint32_t kOrderSignatureBytes = 64;
constexpr uint32_t kOrderLegsMax = 32;
constexpr uint32_t kOrderBytesMin = kOrderHeaderBytes + kOrderLegBytes + kOrderSignatureBytes;                  // 180
constexpr uint32_t kOrderBytesMax = kOrderHeaderBytes + kOrderLegBytes * kOrderLegsMax + kOrderSignatureBytes;  // 1358
constexpr uint8_t kOrderVersion = 1;
constexpr uint32_t kOrderChainIdOffset = 1;
constexpr uint32_t kOrderTradingKeyOffset = 29;
constexpr uint32_t kOrderNonceOffset = 61;
constexpr uint32_t kOrderLegCountOffset = 77;
constexpr uint32_t kDomainTagBytesMax = 64;

// Why the lane dropped a datagram. Order is shared with the JavaScript stats (binding/stats_object.cc names them).
enum class LaneVerdict : uint8_t {
  Ok = 0,
  Malformed,        // length, version or leg count wrong
  WrongChain,       // another chain's order
  BadSignature,     // signature, trading key encoding or S out of range (lane_verify.h)
  Duplicate,        // (trading key, nonce) accepted recently (lane_dedupe.h)
  LaneRingFull,     // verified, but JavaScript had not released lane ring slots
  VerifyQueueFull,  // the verifier was behind: its bounded queue had no room
  Count
};

struct LaneOrderView {
  const uint8_t* trading_key = nullptr;  // 32 bytes inside the datagram
  uint64_t nonce = 0;
  uint32_t legs = 0;
};

inline uint64_t load_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

// Ok, Malformed or WrongChain; on Ok fills `out` with pointers into `order`.
inline LaneVerdict parse_lane_order(const uint8_t* order, uint32_t len, uint64_t chain_id, LaneOrderView* out) {
  if (len < kOrderBytesMin || len > kOrderBytesMax) return LaneVerdict::Malformed;
  if (order[0] != kOrderVersion) return LaneVerdict::Malformed;
  uint32_t legs = order[kOrderLegCountOffset];
  if (legs < 1 || legs > kOrderLegsMax) return LaneVerdict::Malformed;
  if (len != kOrderHeaderBytes + kOrderLegBytes * legs + kOrderSignatureBytes) return LaneVerdict::Malformed;
  if (load_be64(order + kOrderChainIdOffset) != chain_id) return LaneVerdict::WrongChain;
  out->trading_key = order + kOrderTradingKeyOffset;
  out->nonce = load_be64(order + kOrderNonceOffset);
  out->legs = legs;
  return LaneVerdict::Ok;
}

}  // namespace xdpchain
