// AF_XDP socket setup (see xsk_socket.h). The sequence follows the kernel's documentation of AF_XDP
// (Documentation/networking/af_xdp.rst): register UMEM, size the rings, map them, fill, then bind.
#include "xsk_socket.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif

namespace xdpchain {
namespace {

constexpr int kBindBusyRetries = 500;
constexpr useconds_t kBindBusyRetryMicros = 2000;  // up to one second in all

bool is_pow2(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

Status sys_fail(ErrorCode code, const std::string& what) { return Status::fail(code, errno, what); }

}  // namespace

std::unique_ptr<XskSocket> XskSocket::open(const XskConfig& config, Status* status) {
  if (!is_pow2(config.frame_bytes) || config.frame_bytes < 2048 || config.frame_bytes > 4096 ||
      !is_pow2(config.rx_frames) || !is_pow2(config.tx_frames)) {
    *status = Status::fail(ErrorCode::InvalidArgument, 0, "frame size and ring sizes must be powers of two");
    return nullptr;
  }
  std::unique_ptr<XskSocket> s(new XskSocket());
  s->config_ = config;
  s->fd_ = ::socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (s->fd_ < 0) {
    *status = sys_fail(ErrorCode::Socket, "socket(AF_XDP)");
    return nullptr;
  }
  s->umem_bytes_ = static_cast<size_t>(config.rx_frames + config.tx_frames) * config.frame_bytes;
  void* mem = ::mmap(nullptr, s->umem_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (mem == MAP_FAILED) {
    *status = sys_fail(ErrorCode::UmemRegister, "mmap(UMEM)");
    return nullptr;
  }
  s->umem_ = static_cast<uint8_t*>(mem);

  xdp_umem_reg reg{};
  reg.addr = reinterpret_cast<uint64_t>(s->umem_);
  reg.len = s->umem_bytes_;
  reg.chunk_size = config.frame_bytes;
  reg.headroom = 0;
  if (::setsockopt(s->fd_, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg) != 0) {
    *status = sys_fail(ErrorCode::UmemRegister, "setsockopt(XDP_UMEM_REG, " + std::to_string(s->umem_bytes_) + " bytes)");
    return nullptr;
  }
  Status st = s->map_rings();
  if (!st.ok()) {
    *status = st;
    return nullptr;
  }
  // Every receive frame starts in the fill ring, so the kernel can use all of them at once.
  uint32_t first = 0;
  uint32_t n = s->fill.reserve(config.rx_frames, &first);
  for (uint32_t i = 0; i < n; ++i) s->fill.at(first + i) = static_cast<uint64_t>(i) * config.frame_bytes;
  s->fill.submit();

  sockaddr_xdp addr{};
  addr.sxdp_family = AF_XDP;
  addr.sxdp_ifindex = config.ifindex;
  addr.sxdp_queue_id = config.queue;
  addr.sxdp_flags = static_cast<uint16_t>(config.bind_flags | (config.need_wakeup ? XDP_USE_NEED_WAKEUP : 0));
  // A queue whose previous socket closed moments ago is freed by the kernel in deferred work (the buffer pool
  // is released from a workqueue), so bind() can see EBUSY briefly: retry for a bounded time.
  int rc = ::bind(s->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  for (int tries = 0; rc != 0 && errno == EBUSY && tries < kBindBusyRetries; ++tries) {
    ::usleep(kBindBusyRetryMicros);
    rc = ::bind(s->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    s->bind_retries_ = tries + 1;
  }
  if (rc != 0) {
    *status = sys_fail(ErrorCode::Bind, "bind(AF_XDP, ifindex " + std::to_string(config.ifindex) + ", queue " +
                                            std::to_string(config.queue) + ")");
    return nullptr;
  }
  xdp_options opts{};
  socklen_t optlen = sizeof opts;
  if (::getsockopt(s->fd_, SOL_XDP, XDP_OPTIONS, &opts, &optlen) == 0) {
    s->zero_copy_ = (opts.flags & XDP_OPTIONS_ZEROCOPY) != 0;
  }
  *status = Status::success();
  return s;
}

Status XskSocket::map_rings() {
  const uint32_t sizes[4] = {config_.rx_frames, config_.rx_frames, config_.tx_frames, config_.tx_frames};
  const int opts[4] = {XDP_UMEM_FILL_RING, XDP_RX_RING, XDP_TX_RING, XDP_UMEM_COMPLETION_RING};
  for (int i = 0; i < 4; ++i) {
    if (::setsockopt(fd_, SOL_XDP, opts[i], &sizes[i], sizeof sizes[i]) != 0) {
      return sys_fail(ErrorCode::RingSetup, "setsockopt(ring size " + std::to_string(sizes[i]) + ")");
    }
  }
  xdp_mmap_offsets off{};
  socklen_t optlen = sizeof off;
  if (::getsockopt(fd_, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen) != 0) {
    return sys_fail(ErrorCode::RingSetup, "getsockopt(XDP_MMAP_OFFSETS)");
  }
  const xdp_ring_offset* ro[4] = {&off.fr, &off.rx, &off.tx, &off.cr};
  const uint64_t pgoff[4] = {XDP_UMEM_PGOFF_FILL_RING, XDP_PGOFF_RX_RING, XDP_PGOFF_TX_RING,
                             XDP_UMEM_PGOFF_COMPLETION_RING};
  const size_t entry[4] = {sizeof(uint64_t), sizeof(xdp_desc), sizeof(xdp_desc), sizeof(uint64_t)};
  RingMemory mem[4];
  for (int i = 0; i < 4; ++i) {
    size_t bytes = ro[i]->desc + sizes[i] * entry[i];
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_, static_cast<off_t>(pgoff[i]));
    if (p == MAP_FAILED) return sys_fail(ErrorCode::RingSetup, "mmap(ring)");
    maps_[i] = {p, bytes};
    auto* base = static_cast<uint8_t*>(p);
    mem[i] = RingMemory{reinterpret_cast<uint32_t*>(base + ro[i]->producer),
                        reinterpret_cast<uint32_t*>(base + ro[i]->consumer),
                        reinterpret_cast<uint32_t*>(base + ro[i]->flags), base + ro[i]->desc, sizes[i]};
  }
  fill = FillRing(mem[0]);
  rx = RxRing(mem[1]);
  tx = TxRing(mem[2]);
  completion = CompletionRing(mem[3]);
  return Status::success();
}

XskKernelStats XskSocket::kernel_stats() const {
  xdp_statistics st{};
  socklen_t len = sizeof st;
  XskKernelStats out;
  if (::getsockopt(fd_, SOL_XDP, XDP_STATISTICS, &st, &len) != 0) return out;
  out.rx_dropped = st.rx_dropped;
  out.rx_invalid_descs = st.rx_invalid_descs;
  out.tx_invalid_descs = st.tx_invalid_descs;
  if (len >= sizeof st) {
    out.rx_ring_full = st.rx_ring_full;
    out.rx_fill_ring_empty_descs = st.rx_fill_ring_empty_descs;
    out.tx_ring_empty_descs = st.tx_ring_empty_descs;
  }
  return out;
}

XskSocket::~XskSocket() {
  if (fd_ >= 0) ::close(fd_);
  for (auto& m : maps_) {
    if (m.addr) ::munmap(m.addr, m.bytes);
  }
  if (umem_) ::munmap(umem_, umem_bytes_);
}

}  // namespace xdpchain
