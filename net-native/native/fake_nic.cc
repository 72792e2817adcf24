// Plain-memory AF_XDP queue for tests (see fake_nic.h).
#include "fake_nic.h"

#include <errno.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstring>

namespace xdpchain {
namespace {

struct RingHeader {  // what the kernel's mmap offsets point at, laid out our way
  alignas(64) uint32_t producer;
  alignas(64) uint32_t consumer;
  alignas(64) uint32_t flags;
};

size_t align64(size_t v) { return (v + 63) & ~static_cast<size_t>(63); }

}  // namespace

std::unique_ptr<FakeNic> FakeNic::open(const FakeNicConfig& config, std::function<void()> signal, Status* status) {
  std::unique_ptr<FakeNic> n(new FakeNic());
  n->config_ = config;
  size_t fill_bytes = align64(sizeof(RingHeader) + config.frames * sizeof(uint64_t));
  size_t rx_bytes = align64(sizeof(RingHeader) + config.frames * sizeof(xdp_desc));
  n->memory_.assign(fill_bytes + rx_bytes + static_cast<size_t>(config.frames) * config.frame_bytes + 64, 0);
  uint8_t* base = reinterpret_cast<uint8_t*>(align64(reinterpret_cast<uintptr_t>(n->memory_.data())));
  auto* fh = reinterpret_cast<RingHeader*>(base);
  auto* rh = reinterpret_cast<RingHeader*>(base + fill_bytes);
  n->fill_mem_ = {&fh->producer, &fh->consumer, &fh->flags, base + sizeof(RingHeader), config.frames};
  n->rx_mem_ = {&rh->producer, &rh->consumer, &rh->flags, base + fill_bytes + sizeof(RingHeader), config.frames};
  n->umem_ = base + fill_bytes + rx_bytes;

  FillRing fill(n->fill_mem_);
  uint32_t first = 0;
  uint32_t got = fill.reserve(config.frames, &first);
  for (uint32_t i = 0; i < got; ++i) fill.at(first + i) = static_cast<uint64_t>(i) * config.frame_bytes;
  fill.submit();
  n->kernel_fill_ = ConsumerRing<uint64_t>(n->fill_mem_);
  n->kernel_rx_ = ProducerRing<xdp_desc>(n->rx_mem_);

  n->event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (n->event_fd_ < 0) {
    *status = Status::fail(ErrorCode::Thread, errno, "eventfd");
    return nullptr;
  }
  n->ring_ = Region::allocate(js_ring_bytes(config.ring_slots, config.ring_slot_bytes));
  if (!n->ring_) {
    *status = Status::fail(ErrorCode::InvalidArgument, errno, "mmap(shared ring)");
    return nullptr;
  }
  JsRingProducer::format(n->ring_->data(), config.ring_slots, config.ring_slot_bytes);
  RxWorkerConfig wc;
  wc.mode = config.poll;
  wc.batch_max = config.batch_max;
  wc.filter.local_ip = config.local_ip;
  wc.filter.ports[0] = config.port;
  wc.filter.port_count = 1;
  if (config.lane) {
    wc.filter.ports[wc.filter.port_count++] = config.lane_port;
    wc.lane = config.lane;
    wc.lane_port = config.lane_port;
  }
  wc.filter.payload_max = config.ring_slot_bytes - kJsRingSlotHeaderBytes;
  RxPort port{RxRing(n->rx_mem_), fill, n->umem_, config.frame_bytes, n->event_fd_, true};
  n->worker_ = std::make_unique<RxWorker>(
      port, JsRingProducer(n->ring_->data(), config.ring_slots, config.ring_slot_bytes), &n->counters_,
      std::move(signal), wc);
  *status = n->worker_->start();
  return status->ok() ? std::move(n) : nullptr;
}

void FakeNic::write_frame(uint8_t* frame, uint32_t* len, const InjectSpec& spec, uint32_t seq) {
  uint8_t payload[2048];
  uint32_t plen = spec.payload_bytes > sizeof payload ? sizeof payload : spec.payload_bytes;
  for (uint32_t i = 0; i < plen; ++i) payload[i] = static_cast<uint8_t>((seq * 31u + i) & 0xff);
  for (uint32_t i = 0; i < 4 && i < plen; ++i) payload[i] = static_cast<uint8_t>(seq >> (8 * i));
  TxHeaderTemplate from;
  const uint8_t src_mac[6] = {0x02, 0, 0, 0, 0, 1};
  std::memcpy(from.src_mac, src_mac, 6);
  from.src_ip = 0x0a000001;
  TxDatagram d;
  d.dst_ip = config_.local_ip;
  d.src_port = static_cast<uint16_t>(40000 + seq % 7);
  bool wrong_port = spec.wrong_port_every && seq % spec.wrong_port_every == spec.wrong_port_every - 1;
  d.dst_port = wrong_port ? static_cast<uint16_t>(config_.port + 1) : config_.port;
  if (spec.lane_every && seq % spec.lane_every == spec.lane_every - 1) d.dst_port = config_.lane_port;
  d.payload = payload;
  d.payload_len = plen;
  *len = build_udp_frame(frame, config_.frame_bytes, from, d, static_cast<uint16_t>(seq));
  if (spec.bad_checksum_every && seq % spec.bad_checksum_every == spec.bad_checksum_every - 1) {
    frame[*len - 1] ^= 0x5a;  // payload byte changed after the checksum was computed
  }
  if (spec.truncate_every && seq % spec.truncate_every == spec.truncate_every - 1) *len = 30;
}

void FakeNic::generate(InjectSpec spec) {
  uint32_t unsignalled = 0;
  auto signal = [&] {
    kernel_rx_.submit();
    uint64_t one = 1;
    ssize_t r = ::write(event_fd_, &one, sizeof one);
    (void)r;
    unsignalled = 0;
  };
  for (uint32_t k = 0; k < spec.count && !stopping_.load(std::memory_order_relaxed); ++k) {
    uint32_t fi = 0;
    while (kernel_fill_.peek(1, &fi) == 0) {  // the worker has every frame: let it return some
      if (unsignalled) signal();
      if (stopping_.load(std::memory_order_relaxed)) return;
      sched_yield();
    }
    uint64_t addr = kernel_fill_.at(fi);
    kernel_fill_.release(1);
    uint32_t len = 0;
    write_frame(umem_ + addr, &len, spec, spec.first_seq + k);
    uint32_t ri = 0;
    kernel_rx_.reserve(1, &ri);  // RX has room for every frame in circulation
    kernel_rx_.at(ri) = xdp_desc{addr, len, 0};
    injected_.fetch_add(1, std::memory_order_relaxed);
    if (++unsignalled >= 16) signal();
  }
  if (unsignalled) signal();
}

Status FakeNic::inject(const InjectSpec& spec) {
  wait_injected();
  if (stopping_.load()) return Status::fail(ErrorCode::Closed, 0, "fake NIC closed");
  try {
    generator_ = std::thread([this, spec] { generate(spec); });
  } catch (const std::system_error& e) {
    return Status::fail(ErrorCode::Thread, e.code().value(), "std::thread");
  }
  return Status::success();
}

void FakeNic::wait_injected() {
  if (generator_.joinable()) generator_.join();
}

void FakeNic::close() {
  stopping_.store(true);
  wait_injected();
  if (worker_) worker_->stop();
}

FakeNic::~FakeNic() {
  close();
  worker_.reset();
  if (event_fd_ >= 0) ::close(event_fd_);
}

}  // namespace xdpchain
