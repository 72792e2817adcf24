// The steering XDP program (bpf/xdp_steer.bpf.c) as loaded into the kernel: its object, maps and, once
// attached, the bpf_link that keeps it on the interface. The link is an fd owned by this process, so the
// program leaves the interface when the process exits for any reason (SIGKILL included); nothing is pinned.
// Loaded and destroyed on the JavaScript thread. Syscalls: bpf(2) (PROG_LOAD, MAP_CREATE, MAP_UPDATE_ELEM,
// LINK_CREATE, PROG_TEST_RUN) through libbpf. Needs CAP_BPF and CAP_NET_ADMIN (or CAP_SYS_ADMIN).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "../bpf/steer_abi.h"
#include "status.h"

struct bpf_object;

namespace xdpchain {

enum class AttachMode : uint8_t { Skb, Drv };

class XdpProgram {
 public:
  // Loads the embedded object. local_ip is host byte order (0: any); ports are host byte order.
  static std::unique_ptr<XdpProgram> load(uint32_t local_ip, const std::vector<uint16_t>& ports, Status* status);
  ~XdpProgram();
  XdpProgram(const XdpProgram&) = delete;
  XdpProgram& operator=(const XdpProgram&) = delete;

  // Attaches through a bpf_link in the given mode. Fails (XDP_ERROR_ATTACH) if another program is attached.
  Status attach(uint32_t ifindex, AttachMode mode);
  void detach();
  bool attached() const { return link_fd_ >= 0; }
  // Points the queue's XSKMAP entry at an AF_XDP socket.
  Status register_socket(uint32_t queue, int xsk_fd);

  // Runs the program once over a frame with BPF_PROG_TEST_RUN; returns the XDP action in *action.
  Status test_run(const uint8_t* frame, uint32_t len, uint32_t* action);
  // Per-reason counts summed over CPUs (enum steer_stat order).
  std::vector<uint64_t> stats() const;

 private:
  XdpProgram() = default;
  bpf_object* obj_ = nullptr;
  int prog_fd_ = -1;
  int sockets_fd_ = -1;
  int stats_fd_ = -1;
  int link_fd_ = -1;
};

}  // namespace xdpchain
