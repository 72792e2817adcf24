// The lane ring: accepted orders on their way from the verifier threads to JavaScript. Same header, indexes
// and wake handshake as the datagram rings (js_ring.h, so the same JsRingProducer writes it), its own magic and
// slot layout; net-native/src/lane-ring-reader.ts reads exactly this. One producer at a time (the verifier that
// holds the lane mutex, lane_pipeline.h), one consumer (the JavaScript thread).
//
// Slot (little-endian, 1536 bytes): [u16 order_len][u16 src_port][u32 src_ip][u32 local_seq][u16 queue]
//   [u16 reserved][u32 stamp_us low][u32 stamp_us high][32 order id][8 reserved][order bytes]
// stamp_us: CLOCK_REALTIME in microseconds when the receive thread pulled the frame; never decreasing in ring
// order. local_seq: 1, 2, 3, ... per engine over datagrams queued for verification (gaps are orders dropped after
// queueing); strictly increasing in ring order until it wraps past 2^32 - 1 to 1.
#pragma once

#include <cstdint>

#include "js_ring.h"
#include "lane_order.h"

namespace xdpchain {

constexpr uint32_t kLaneRingMagic = 0x5844504c;  // "XDPL"
constexpr uint32_t kLaneSlotHeaderBytes = 64;
constexpr uint32_t kLaneSlotBytes = 1536;
static_assert(kLaneSlotHeaderBytes + kOrderBytesMax <= kLaneSlotBytes, "the largest order fits one slot");

struct LaneSlotHeader {
  uint16_t order_len;
  uint16_t src_port;
  uint32_t src_ip;  // host byte order
  uint32_t local_seq;
  uint16_t queue;
  uint16_t reserved0;
  uint32_t stamp_us_lo;
  uint32_t stamp_us_hi;
  uint8_t order_id[32];
  uint8_t reserved1[8];
};
static_assert(sizeof(LaneSlotHeader) == kLaneSlotHeaderBytes, "lane slot layout is shared with JavaScript");

}  // namespace xdpchain
