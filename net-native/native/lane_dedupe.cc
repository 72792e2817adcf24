// Bounded (trading key, nonce) set (see lane_dedupe.h).
#include "lane_dedupe.h"

#include <cstring>

namespace xdpchain {
namespace {

uint64_t mix(uint64_t a, uint64_t b) {  // 128-bit multiply folded: a fast keyed mixer (wyhash's core step)
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

DedupeTable::DedupeTable(uint32_t capacity, uint64_t seed) : capacity_(capacity), seed_(seed), entries_(capacity) {
  uint32_t slots = 1;
  while (slots < 2 * capacity) slots <<= 1;
  index_.assign(slots, 0);
  mask_ = slots - 1;
}

uint64_t DedupeTable::hash(const uint8_t key[32], uint64_t nonce) const {
  constexpr uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
  uint64_t h = mix(load64(key) ^ seed_ ^ k0, load64(key + 8) ^ k1);
  h = mix(h ^ load64(key + 16) ^ k2, load64(key + 24) ^ seed_);
  return mix(h ^ nonce ^ k1, seed_ ^ k2);
}

int64_t DedupeTable::find(const uint8_t key[32], uint64_t nonce, uint64_t h) const {
  for (uint32_t slot = static_cast<uint32_t>(h) & mask_;; slot = (slot + 1) & mask_) {
    uint32_t v = index_[slot];
    if (v == 0) return -1;
    const Entry& e = entries_[v - 1];
    if (e.hash == h && e.nonce == nonce && std::memcmp(e.key, key, 32) == 0) return slot;
  }
}

bool DedupeTable::contains(const uint8_t key[32], uint64_t nonce) const { return find(key, nonce, hash(key, nonce)) >= 0; }

bool DedupeTable::insert(const uint8_t key[32], uint64_t nonce) {
  uint64_t h = hash(key, nonce);
  if (find(key, nonce, h) >= 0) return false;
  if (count_ == capacity_) {
    erase_entry(oldest_);
    oldest_ = oldest_ + 1 == capacity_ ? 0 : oldest_ + 1;
    --count_;
    ++evictions_;
  }
  uint32_t pos = oldest_ + count_;
  if (pos >= capacity_) pos -= capacity_;
  Entry& e = entries_[pos];
  std::memcpy(e.key, key, 32);
  e.nonce = nonce;
  e.hash = h;
  uint32_t slot = static_cast<uint32_t>(h) & mask_;
  while (index_[slot] != 0) slot = (slot + 1) & mask_;  // never full: at least twice as many slots as entries
  index_[slot] = pos + 1;
  ++count_;
  return true;
}

void DedupeTable::erase_entry(uint32_t pos) {
  const Entry& e = entries_[pos];
  int64_t slot = find(e.key, e.nonce, e.hash);
  if (slot >= 0) erase_slot(static_cast<uint32_t>(slot));
}

// Backward-shift deletion: pull later members of the probe run into the hole while that keeps each reachable
// from its home slot, so lookups never need tombstones.
void DedupeTable::erase_slot(uint32_t hole) {
  for (uint32_t next = (hole + 1) & mask_; index_[next] != 0; next = (next + 1) & mask_) {
    uint32_t home = static_cast<uint32_t>(entries_[index_[next] - 1].hash) & mask_;
    // Distance from home to next versus from home to the hole, both measured forward around the ring.
    if (((next - home) & mask_) >= ((next - hole) & mask_)) {
      index_[hole] = index_[next];
      hole = next;
    }
  }
  index_[hole] = 0;
}

}  // namespace xdpchain
