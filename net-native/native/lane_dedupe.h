// The lane's memory of recently accepted orders: a bounded set of (trading key, nonce), oldest evicted first,
// so a replayed or re-sent order is dropped as a duplicate for as long as `capacity` newer orders have not
// pushed it out. Not replay protection for execution (consensus/lane/nonce-window.ts is); a cheap filter that
// keeps copies from reaching JavaScript and from costing an ed25519 verification.
//
// Layout: entries in a FIFO ring of `capacity` (insertion order = eviction order) plus an open-addressing
// index (linear probing, at least 2x capacity slots, backward-shift deletion, so no tombstones build up).
// The hash is seeded at construction: peers choose keys and nonces, and must not be able to aim at one probe
// chain. Memory: about 56 bytes per entry, allocated once. Not thread-safe: lane_pipeline.h holds its mutex.
#pragma once

#include <cstdint>
#include <vector>

namespace xdpchain {

constexpr uint32_t kDedupeCapacityMax = 1u << 20;

class DedupeTable {
 public:
  // capacity 1..kDedupeCapacityMax (checked by the caller).
  DedupeTable(uint32_t capacity, uint64_t seed);

  bool contains(const uint8_t key[32], uint64_t nonce) const;
  // Adds the pair, evicting the oldest entry when full. Returns false (and changes nothing) if present.
  bool insert(const uint8_t key[32], uint64_t nonce);
  uint32_t size() const { return count_; }
  uint32_t capacity() const { return capacity_; }
  uint64_t evictions() const { return evictions_; }

 private:
  struct Entry {
    uint8_t key[32];
    uint64_t nonce;
    uint64_t hash;
  };
  uint64_t hash(const uint8_t key[32], uint64_t nonce) const;
  // Index slot of the pair; -1 when absent.
  int64_t find(const uint8_t key[32], uint64_t nonce, uint64_t h) const;
  void erase_slot(uint32_t slot);
  void erase_entry(uint32_t pos);

  uint32_t capacity_;
  uint64_t seed_;
  std::vector<Entry> entries_;   // FIFO ring; positions [oldest_, oldest_ + count_) mod capacity are live
  std::vector<uint32_t> index_;  // entry position + 1; 0 = empty
  uint32_t mask_ = 0;
  uint32_t oldest_ = 0;
  uint32_t count_ = 0;
  uint64_t evictions_ = 0;
};

}  // namespace xdpchain
