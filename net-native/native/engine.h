// An AF_XDP data-plane endpoint on one interface: the steering program attached through a bpf_link, one
// AF_XDP socket per configured queue (each with its own UMEM, receive thread, shared JS ring and send path),
// a staging buffer JavaScript writes outgoing datagrams into, and a netlink socket for next-hop lookups.
// Not a socket per port: every configured UDP port of the local address arrives on the same rings.
//
// With a lane (EngineConfig::lane), one more UDP port on the same program and sockets carries signed orders:
// the receive threads hand them to the engine's LanePipeline (lane_pipeline.h), whose verifier threads fill a
// lane ring of its own; lane datagrams never reach the datagram rings.
//
// Threads: open(), send(), resolve(), stats() and close() run on the JavaScript thread. Each queue's receive
// thread, and the lane's verifier threads, run between open() and close(). close() joins the receive threads,
// then the verifiers, before releasing anything they use, so it is safe while frames are in flight; the shared
// ring memory itself is reference counted (Region) and lives until JavaScript's ArrayBuffers over it are collected.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "counters.h"
#include "lane_pipeline.h"
#include "netlink.h"
#include "region.h"
#include "rx_worker.h"
#include "status.h"
#include "tx_path.h"
#include "xdp_program.h"
#include "xsk_socket.h"

namespace xdpchain {

enum class BindMode : uint8_t { Auto, Skb, Drv };

struct EngineConfig {
  std::string ifname;
  uint32_t local_ip = 0;  // host byte order
  std::vector<uint16_t> ports;
  std::vector<uint32_t> queues{0};
  BindMode mode = BindMode::Auto;
  PollMode poll = PollMode::Wakeup;
  uint32_t frame_bytes = 2048;
  uint32_t rx_frames = 2048;
  uint32_t tx_frames = 2048;
  uint32_t ring_slots = 4096;      // shared JS ring slots per queue (power of two)
  uint32_t ring_slot_bytes = 2048; // 16-byte header + payload
  uint32_t batch_max = 64;         // frames per receive-loop iteration
  uint32_t staging_bytes = 1u << 19;
  int rx_cpu = -1;
  LaneConfig lane;  // lane.enabled: lane.port joins `ports` on the program and sockets
};

struct EngineQueue {
  uint32_t queue = 0;
  std::unique_ptr<XskSocket> socket;
  std::shared_ptr<Region> ring;
  RxCounters rx;
  TxCounters tx;
  std::unique_ptr<RxWorker> worker;
  std::unique_ptr<TxPath> sender;
};

struct ResolveResult {
  NeighbourState state = NeighbourState::Missing;
  uint8_t mac[6] = {};
  uint32_t next_hop = 0;
  std::string why;  // set when Failed: no route, route leaves through another interface, local address
};

class Engine {
 public:
  static std::unique_ptr<Engine> open(const EngineConfig& config, std::function<void()> signal, Status* status);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Sends `count` entries staged in staging()[0, bytes) through queue index qi (not the queue id).
  uint32_t send(uint32_t qi, size_t bytes, uint32_t count);
  ResolveResult resolve(uint32_t dst_ip);
  void close();
  bool closed() const { return closed_; }

  const EngineConfig& config() const { return config_; }
  const InterfaceInfo& interface() const { return iface_; }
  AttachMode attach_mode() const { return attach_mode_; }
  const std::shared_ptr<Region>& staging() const { return staging_; }
  std::vector<std::unique_ptr<EngineQueue>>& queues() { return queues_; }
  std::vector<uint64_t> program_stats() const;
  LanePipeline* lane() const { return lane_.get(); }

 private:
  Engine() = default;
  Status attach();
  Status open_queue(uint32_t queue, const std::function<void()>& signal);

  EngineConfig config_;
  InterfaceInfo iface_;
  AttachMode attach_mode_ = AttachMode::Skb;
  std::unique_ptr<XdpProgram> program_;
  std::unique_ptr<LanePipeline> lane_;  // declared before queues_: receive threads point at it
  std::vector<std::unique_ptr<EngineQueue>> queues_;
  std::shared_ptr<Region> staging_;
  Netlink netlink_;
  bool closed_ = false;
};

}  // namespace xdpchain
