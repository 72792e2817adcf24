// Single-producer / single-consumer views over the AF_XDP rings (fill, completion, RX, TX). The memory is
// whatever the caller maps: the kernel's rings after mmap(2), or plain memory in tests, where the test plays
// the kernel's side. Each view is used by exactly one thread; the other side is the kernel (or the test).
// Ordering follows the kernel's contract: acquire on the other side's index, release when publishing ours.
#pragma once

#include <linux/if_xdp.h>

#include <cstdint>

namespace xdpchain {

// Pointers into one ring's mapping. size is a power of two.
struct RingMemory {
  uint32_t* producer = nullptr;
  uint32_t* consumer = nullptr;
  uint32_t* flags = nullptr;
  void* descs = nullptr;
  uint32_t size = 0;
};

inline uint32_t load_acquire(const uint32_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
inline void store_release(uint32_t* p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

// We produce, the kernel consumes: the fill ring (frame addresses) and the TX ring (descriptors).
template <typename Entry>
class ProducerRing {
 public:
  ProducerRing() = default;
  explicit ProducerRing(const RingMemory& m)
      : mem_(m), mask_(m.size - 1), cached_prod_(load_acquire(m.producer)),
        cached_cons_(load_acquire(m.consumer) + m.size) {}

  // Free slots, refreshing our view of the consumer only when the cached one says fewer than `wanted`.
  uint32_t free_slots(uint32_t wanted) {
    uint32_t free = cached_cons_ - cached_prod_;
    if (free >= wanted) return free;
    cached_cons_ = load_acquire(mem_.consumer) + mem_.size;
    return cached_cons_ - cached_prod_;
  }
  // Reserves up to n slots; returns how many and the first index (pass it to at()).
  uint32_t reserve(uint32_t n, uint32_t* first) {
    uint32_t free = free_slots(n);
    if (n > free) n = free;
    *first = cached_prod_;
    cached_prod_ += n;
    return n;
  }
  Entry& at(uint32_t index) { return static_cast<Entry*>(mem_.descs)[index & mask_]; }
  void submit() { store_release(mem_.producer, cached_prod_); }
  // Entries published but not yet taken by the kernel.
  uint32_t outstanding() const { return cached_prod_ - load_acquire(mem_.consumer); }
  bool needs_wakeup() const { return (__atomic_load_n(mem_.flags, __ATOMIC_RELAXED) & XDP_RING_NEED_WAKEUP) != 0; }
  uint32_t size() const { return mem_.size; }

 private:
  RingMemory mem_{};
  uint32_t mask_ = 0;
  uint32_t cached_prod_ = 0;
  uint32_t cached_cons_ = 0;
};

// The kernel produces, we consume: the RX ring (descriptors) and the completion ring (frame addresses).
template <typename Entry>
class ConsumerRing {
 public:
  ConsumerRing() = default;
  explicit ConsumerRing(const RingMemory& m)
      : mem_(m), mask_(m.size - 1), cached_prod_(load_acquire(m.producer)), cached_cons_(load_acquire(m.consumer)) {}

  // Up to n ready entries; returns how many and the first index. Call release() after reading them.
  uint32_t peek(uint32_t n, uint32_t* first) {
    uint32_t ready = cached_prod_ - cached_cons_;
    if (ready == 0) {
      cached_prod_ = load_acquire(mem_.producer);
      ready = cached_prod_ - cached_cons_;
    }
    if (n > ready) n = ready;
    *first = cached_cons_;
    return n;
  }
  const Entry& at(uint32_t index) const { return static_cast<const Entry*>(mem_.descs)[index & mask_]; }
  void release(uint32_t n) {
    cached_cons_ += n;
    store_release(mem_.consumer, cached_cons_);
  }
  uint32_t size() const { return mem_.size; }

 private:
  RingMemory mem_{};
  uint32_t mask_ = 0;
  uint32_t cached_prod_ = 0;
  uint32_t cached_cons_ = 0;
};

using FillRing = ProducerRing<uint64_t>;
using TxRing = ProducerRing<xdp_desc>;
using RxRing = ConsumerRing<xdp_desc>;
using CompletionRing = ConsumerRing<uint64_t>;

}  // namespace xdpchain
