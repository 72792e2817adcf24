// The shared ring that carries received datagrams from a native receive thread to JavaScript. One producer
// (the receive thread of one queue) and one consumer (the JavaScript thread, through an ArrayBuffer over the
// same memory: net-native/src/shared-ring-reader.ts reads this exact layout). Fixed-size slots, so a slot's
// place never depends on the lengths before it. Plain memory: tests drive it without sockets.
//
// Layout (little-endian, offsets in bytes):
//   0    u32 producer   written by the native thread (release), read by JS (Atomics.load)
//   64   u32 consumer   written by JS (Atomics.store) after its handler returned, read natively (acquire)
//   128  u32 wake       native sets it to 1 and signals JS only if it was 0; JS stores 0 before draining
//   192  u32 slot_count, u32 slot_bytes, u32 magic
//   256  slots: [u16 payload_len][u16 src_port][u32 src_ip][u16 dst_port][u16 queue][u32 reserved][payload]
// The producer/wake pair is a Dekker handshake (both sides use sequentially consistent accesses), so a batch
// published after JS's final check always produces one more wakeup, and never more than one per batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace xdpchain {

constexpr uint32_t kJsRingProducerOffset = 0;
constexpr uint32_t kJsRingConsumerOffset = 64;
constexpr uint32_t kJsRingWakeOffset = 128;
constexpr uint32_t kJsRingInfoOffset = 192;
constexpr uint32_t kJsRingSlotsOffset = 256;
constexpr uint32_t kJsRingSlotHeaderBytes = 16;
constexpr uint32_t kJsRingMagic = 0x58445052;  // "XDPR"

inline size_t js_ring_bytes(uint32_t slot_count, uint32_t slot_bytes) {
  return kJsRingSlotsOffset + static_cast<size_t>(slot_count) * slot_bytes;
}

struct JsSlotHeader {
  uint16_t payload_len;
  uint16_t src_port;
  uint32_t src_ip;  // host byte order
  uint16_t dst_port;
  uint16_t queue;
  uint32_t reserved;
};
static_assert(sizeof(JsSlotHeader) == kJsRingSlotHeaderBytes, "slot header layout is shared with JavaScript");

// Producer side, used by exactly one native thread. The memory is owned elsewhere and outlives this view.
class JsRingProducer {
 public:
  JsRingProducer() = default;
  // Initializes the header of fresh memory (zeroed indexes). slot_count must be a power of two.
  // `magic` names the slot layout: kJsRingMagic for datagrams, kLaneRingMagic (lane_ring.h) for lane records.
  static void format(uint8_t* base, uint32_t slot_count, uint32_t slot_bytes, uint32_t magic = kJsRingMagic) {
    std::memset(base, 0, kJsRingSlotsOffset);
    uint32_t info[3] = {slot_count, slot_bytes, magic};
    std::memcpy(base + kJsRingInfoOffset, info, sizeof info);
  }
  JsRingProducer(uint8_t* base, uint32_t slot_count, uint32_t slot_bytes)
      : base_(base), slot_count_(slot_count), slot_bytes_(slot_bytes), mask_(slot_count - 1),
        cached_prod_(load(kJsRingProducerOffset)), cached_cons_(load(kJsRingConsumerOffset)) {}

  uint32_t payload_max() const { return slot_bytes_ - kJsRingSlotHeaderBytes; }
  // Free slots; re-reads the consumer index only when the cached view shows fewer than `wanted`.
  uint32_t free_slots(uint32_t wanted = 1) {
    uint32_t free = slot_count_ - (pending_ - cached_cons_);
    if (free >= wanted) return free;
    cached_cons_ = __atomic_load_n(word(kJsRingConsumerOffset), __ATOMIC_ACQUIRE);
    return slot_count_ - (pending_ - cached_cons_);
  }
  // Slot for the next datagram (not yet visible to JS). Call free_slots() first.
  uint8_t* next_slot() { return base_ + kJsRingSlotsOffset + static_cast<size_t>(pending_ & mask_) * slot_bytes_; }
  void commit_slot() { ++pending_; }
  // Makes every committed slot visible. Returns true when JS must be signalled (it was not already).
  bool publish() {
    if (pending_ == cached_prod_) return false;
    cached_prod_ = pending_;
    __atomic_store_n(word(kJsRingProducerOffset), cached_prod_, __ATOMIC_SEQ_CST);
    return __atomic_exchange_n(word(kJsRingWakeOffset), 1u, __ATOMIC_SEQ_CST) == 0;
  }

 private:
  uint32_t* word(uint32_t offset) const { return reinterpret_cast<uint32_t*>(base_ + offset); }
  uint32_t load(uint32_t offset) const { return __atomic_load_n(word(offset), __ATOMIC_ACQUIRE); }

  uint8_t* base_ = nullptr;
  uint32_t slot_count_ = 0;
  uint32_t slot_bytes_ = 0;
  uint32_t mask_ = 0;
  uint32_t cached_prod_ = 0;
  uint32_t cached_cons_ = 0;
  uint32_t pending_ = cached_prod_;
};

}  // namespace xdpchain
