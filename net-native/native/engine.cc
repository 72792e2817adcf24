// Engine lifecycle (see engine.h): open in dependency order, close in reverse, receive threads first.
#include "engine.h"

#include <errno.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace xdpchain {
namespace {

bool is_pow2(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

Status check_config(const EngineConfig& c) {
  if (c.ports.empty() || c.ports.size() > kPortsMax) return Status::fail(ErrorCode::InvalidArgument, 0, "1..16 ports");
  if (c.queues.empty() || c.queues.size() > STEER_QUEUES_MAX) {
    return Status::fail(ErrorCode::InvalidArgument, 0, "1..64 queues");
  }
  for (uint32_t q : c.queues) {
    if (q >= STEER_QUEUES_MAX) return Status::fail(ErrorCode::InvalidArgument, 0, "queue id beyond 63");
  }
  if (!is_pow2(c.ring_slots) || c.ring_slot_bytes < 256 || c.ring_slot_bytes % 16 != 0 || c.ring_slot_bytes > 65536) {
    return Status::fail(ErrorCode::InvalidArgument, 0, "ring_slots power of two, ring_slot_bytes 256..65536 step 16");
  }
  if (c.staging_bytes < 4096) return Status::fail(ErrorCode::InvalidArgument, 0, "staging_bytes >= 4096");
  if (c.lane.enabled) {
    if (std::find(c.ports.begin(), c.ports.end(), c.lane.port) != c.ports.end()) {
      return Status::fail(ErrorCode::InvalidArgument, 0, "the lane port must differ from the data ports");
    }
    if (c.ports.size() + 1 > kPortsMax) return Status::fail(ErrorCode::InvalidArgument, 0, "1..15 data ports with a lane");
  }
  return check_lane_config(c.lane);
}

// Every port the program steers and the receive threads accept: the data ports, then the lane port.
std::vector<uint16_t> steered_ports(const EngineConfig& c) {
  std::vector<uint16_t> ports = c.ports;
  if (c.lane.enabled) ports.push_back(c.lane.port);
  return ports;
}

}  // namespace

std::unique_ptr<Engine> Engine::open(const EngineConfig& config, std::function<void()> signal, Status* status) {
  *status = check_config(config);
  if (!status->ok()) return nullptr;
  std::unique_ptr<Engine> e(new Engine());
  e->config_ = config;
  *status = interface_info(config.ifname, &e->iface_);
  if (!status->ok()) return nullptr;
  *status = e->netlink_.open();
  if (!status->ok()) return nullptr;
  if (config.lane.enabled) {
    e->lane_ = LanePipeline::open(config.lane, signal, status);
    if (!e->lane_) return nullptr;
  }
  e->program_ = XdpProgram::load(config.local_ip, steered_ports(config), status);
  if (!e->program_) return nullptr;
  *status = e->attach();
  if (!status->ok()) return nullptr;
  e->staging_ = Region::allocate(config.staging_bytes);
  if (!e->staging_) {
    *status = Status::fail(ErrorCode::InvalidArgument, errno, "mmap(staging)");
    return nullptr;
  }
  for (uint32_t q : config.queues) {
    *status = e->open_queue(q, signal);
    if (!status->ok()) {
      e->close();
      return nullptr;
    }
  }
  return e;
}

Status Engine::attach() {
  if (config_.mode == BindMode::Skb) {
    attach_mode_ = AttachMode::Skb;
    return program_->attach(iface_.ifindex, AttachMode::Skb);
  }
  Status drv = program_->attach(iface_.ifindex, AttachMode::Drv);
  if (drv.ok() || config_.mode == BindMode::Drv) {
    attach_mode_ = AttachMode::Drv;
    return drv;
  }
  attach_mode_ = AttachMode::Skb;  // auto: the driver has no native XDP, use the generic hook
  return program_->attach(iface_.ifindex, AttachMode::Skb);
}

Status Engine::open_queue(uint32_t queue, const std::function<void()>& signal) {
  auto q = std::make_unique<EngineQueue>();
  q->queue = queue;
  XskConfig xc;
  xc.ifindex = iface_.ifindex;
  xc.queue = queue;
  xc.frame_bytes = config_.frame_bytes;
  xc.rx_frames = config_.rx_frames;
  xc.tx_frames = config_.tx_frames;
  xc.need_wakeup = true;
  // Generic (skb) XDP can only copy; in driver mode let the kernel pick zero-copy where the driver has it.
  xc.bind_flags = attach_mode_ == AttachMode::Skb ? XDP_COPY : 0;
  Status st;
  q->socket = XskSocket::open(xc, &st);
  if (!q->socket) return st;
  st = program_->register_socket(queue, q->socket->fd());
  if (!st.ok()) return st;

  q->ring = Region::allocate(js_ring_bytes(config_.ring_slots, config_.ring_slot_bytes));
  if (!q->ring) return Status::fail(ErrorCode::InvalidArgument, errno, "mmap(shared ring)");
  JsRingProducer::format(q->ring->data(), config_.ring_slots, config_.ring_slot_bytes);

  RxWorkerConfig wc;
  wc.mode = config_.poll;
  wc.batch_max = config_.batch_max;
  wc.queue = static_cast<uint16_t>(queue);
  wc.cpu = config_.rx_cpu;
  wc.filter.local_ip = config_.local_ip;
  for (uint16_t p : steered_ports(config_)) wc.filter.ports[wc.filter.port_count++] = p;
  wc.lane = lane_.get();
  wc.lane_port = config_.lane.enabled ? config_.lane.port : 0;
  uint32_t mtu_payload = iface_.mtu > 28 ? iface_.mtu - 28 : 0;
  wc.filter.payload_max = std::min(config_.ring_slot_bytes - kJsRingSlotHeaderBytes, mtu_payload);
  XskSocket& s = *q->socket;
  RxPort rp{s.rx, s.fill, s.umem(), config_.frame_bytes, s.fd()};
  q->worker = std::make_unique<RxWorker>(rp, JsRingProducer(q->ring->data(), config_.ring_slots, config_.ring_slot_bytes),
                                         &q->rx, signal, wc);

  TxHeaderTemplate from;
  std::memcpy(from.src_mac, iface_.mac, 6);
  from.src_ip = config_.local_ip;
  TxPort tp{s.tx, s.completion, s.umem(), config_.frame_bytes, config_.rx_frames, config_.tx_frames, s.fd(), false};
  q->sender = std::make_unique<TxPath>(tp, from, &q->tx);
  st = q->worker->start();
  queues_.push_back(std::move(q));
  return st;
}

uint32_t Engine::send(uint32_t qi, size_t bytes, uint32_t count) {
  if (closed_ || qi >= queues_.size() || bytes > staging_->bytes()) return 0;
  return queues_[qi]->sender->send(staging_->data(), bytes, count);
}

ResolveResult Engine::resolve(uint32_t dst_ip) {
  ResolveResult r;
  RouteInfo route;
  Status st = netlink_.route(dst_ip, &route);
  if (!st.ok()) {
    r.state = NeighbourState::Failed;
    r.why = "no route (errno " + std::to_string(st.err) + ")";
    return r;
  }
  if (route.local || route.ifindex != iface_.ifindex) {
    r.state = NeighbourState::Failed;
    r.why = route.local ? "destination is a local address" : "route leaves through another interface";
    return r;
  }
  r.next_hop = route.next_hop;
  st = netlink_.neighbour(route.next_hop, iface_.ifindex, &r.state, r.mac);
  if (!st.ok()) {
    r.state = NeighbourState::Failed;
    r.why = st.detail;
    return r;
  }
  if (r.state == NeighbourState::Missing || r.state == NeighbourState::Failed) {
    st = netlink_.probe(route.next_hop, iface_.ifindex);
    r.state = st.ok() ? NeighbourState::Pending : NeighbourState::Failed;
    if (!st.ok()) r.why = st.detail + " (errno " + std::to_string(st.err) + ")";
  }
  return r;
}

std::vector<uint64_t> Engine::program_stats() const {
  return program_ ? program_->stats() : std::vector<uint64_t>(STEER_STAT_COUNT, 0);
}

void Engine::close() {
  if (closed_) return;
  closed_ = true;
  for (auto& q : queues_) {
    if (q->worker) q->worker->stop();
  }
  if (lane_) lane_->stop();  // after the receive threads: nothing submits any more
  if (program_) program_->detach();
  for (auto& q : queues_) {
    q->sender.reset();
    q->worker.reset();
    q->socket.reset();
  }
}

Engine::~Engine() { close(); }

}  // namespace xdpchain
