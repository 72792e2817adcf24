// Batch send (see tx_path.h).
#include "tx_path.h"

#include <errno.h>
#include <sys/socket.h>

#include <cstring>

namespace xdpchain {
namespace {

constexpr uint32_t kKickEvery = 32;  // copy mode transmits about this many frames per sendto(2)
constexpr uint32_t kKickTriesMax = 64;
constexpr uint32_t kRoomTriesMax = 16;

size_t align8(size_t v) { return (v + 7) & ~static_cast<size_t>(7); }

}  // namespace

TxPath::TxPath(const TxPort& port, const TxHeaderTemplate& from, TxCounters* counters)
    : port_(port), from_(from), counters_(counters) {
  free_.reserve(port.frame_count);
  for (uint32_t i = port.frame_count; i > 0; --i) {
    free_.push_back(static_cast<uint64_t>(port.first_frame + i - 1) * port.frame_bytes);
  }
}

void TxPath::reclaim() {
  uint32_t first = 0;
  uint32_t n = port_.completion.peek(port_.completion.size(), &first);
  for (uint32_t i = 0; i < n; ++i) free_.push_back(port_.completion.at(first + i));
  if (n) {
    port_.completion.release(n);
    counters_->completions.add(n);
  }
}

bool TxPath::kick() {
  if (!port_.kick_always && !port_.tx.needs_wakeup()) return true;
  counters_->kicks.add(1);
  if (::sendto(port_.fd, nullptr, 0, MSG_DONTWAIT, nullptr, 0) >= 0) return true;
  if (errno == EAGAIN || errno == EBUSY || errno == ENOBUFS || errno == EINTR) return true;
  counters_->kick_errors.add(1);
  return false;
}

void TxPath::flush() {
  if (unsubmitted_) {
    port_.tx.submit();
    unsubmitted_ = 0;
  }
  for (uint32_t tries = 0; tries < kKickTriesMax && port_.tx.outstanding() > 0; ++tries) {
    if (!kick()) break;
    reclaim();
  }
}

bool TxPath::ensure_room() {
  for (uint32_t tries = 0; tries < kRoomTriesMax; ++tries) {
    if (!free_.empty() && port_.tx.free_slots(1) > 0) return true;
    flush();
    reclaim();
  }
  return !free_.empty() && port_.tx.free_slots(1) > 0;
}

uint32_t TxPath::send(const uint8_t* staged, size_t bytes, uint32_t count) {
  reclaim();
  size_t off = 0;
  uint32_t queued = 0;
  uint64_t payload_bytes = 0;
  for (uint32_t i = 0; i < count; ++i) {
    TxStagedHeader h;
    if (off + kTxStagedHeaderBytes > bytes) {
      counters_->invalid.add(count - i);
      break;
    }
    std::memcpy(&h, staged + off, sizeof h);
    size_t end = off + kTxStagedHeaderBytes + h.payload_len;
    if (end > bytes) {
      counters_->invalid.add(count - i);
      break;
    }
    if (!ensure_room()) {
      counters_->ring_full.add(count - i);
      break;
    }
    TxDatagram d;
    std::memcpy(d.dst_mac, h.dst_mac, 6);
    d.dst_ip = h.dst_ip;
    d.src_port = h.src_port;
    d.dst_port = h.dst_port;
    d.payload = staged + off + kTxStagedHeaderBytes;
    d.payload_len = h.payload_len;
    uint64_t addr = free_.back();
    uint32_t len = build_udp_frame(port_.umem + addr, port_.frame_bytes, from_, d, ip_id_++);
    off = align8(end);
    if (len == 0) {
      counters_->invalid.add(1);
      continue;
    }
    free_.pop_back();
    uint32_t slot = 0;
    port_.tx.reserve(1, &slot);  // ensure_room() saw a free slot
    port_.tx.at(slot) = xdp_desc{addr, len, 0};
    ++queued;
    payload_bytes += h.payload_len;
    if (++unsubmitted_ >= kKickEvery) flush();
  }
  flush();
  counters_->datagrams.add(queued);
  counters_->bytes.add(payload_bytes);
  return queued;
}

}  // namespace xdpchain
