// Loader for the steering program (see xdp_program.h). The object bytes are compiled from
// bpf/xdp_steer.bpf.c by the build script and embedded, so the addon never looks for a file at run time.
#include "xdp_program.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <unistd.h>

#include <string>

#include "xdp_steer_object.inc"  // generated: kXdpSteerObject[], kXdpSteerObjectBytes

namespace xdpchain {
namespace {

int map_fd(bpf_object* obj, const char* name) {
  bpf_map* map = bpf_object__find_map_by_name(obj, name);
  return map ? bpf_map__fd(map) : -1;
}

Status configure(bpf_object* obj, uint32_t local_ip, const std::vector<uint16_t>& ports) {
  int config_fd = map_fd(obj, "steer_config");
  int ports_fd = map_fd(obj, "steer_ports");
  if (config_fd < 0 || ports_fd < 0) return Status::fail(ErrorCode::ProgramLoad, ENOENT, "steer maps missing");
  uint32_t zero = 0;
  steer_config config{htonl(local_ip), 0};
  if (bpf_map_update_elem(config_fd, &zero, &config, BPF_ANY) != 0) {
    return Status::fail(ErrorCode::MapUpdate, errno, "steer_config");
  }
  for (uint16_t port : ports) {
    uint16_t key = htons(port);
    uint8_t one = 1;
    if (bpf_map_update_elem(ports_fd, &key, &one, BPF_ANY) != 0) {
      return Status::fail(ErrorCode::MapUpdate, errno, "steer_ports " + std::to_string(port));
    }
  }
  return Status::success();
}

}  // namespace

std::unique_ptr<XdpProgram> XdpProgram::load(uint32_t local_ip, const std::vector<uint16_t>& ports, Status* status) {
  if (ports.empty() || ports.size() > STEER_PORTS_MAX) {
    *status = Status::fail(ErrorCode::InvalidArgument, 0, "1.." + std::to_string(STEER_PORTS_MAX) + " ports");
    return nullptr;
  }
  std::unique_ptr<XdpProgram> p(new XdpProgram());
  LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = "xdpchain_steer");
  p->obj_ = bpf_object__open_mem(kXdpSteerObject, kXdpSteerObjectBytes, &open_opts);
  if (!p->obj_) {
    *status = Status::fail(ErrorCode::ProgramLoad, errno, "bpf_object__open_mem");
    return nullptr;
  }
  int err = bpf_object__load(p->obj_);
  if (err != 0) {
    *status = Status::fail(ErrorCode::ProgramLoad, -err, "bpf_object__load (needs CAP_BPF / CAP_SYS_ADMIN)");
    return nullptr;
  }
  bpf_program* prog = bpf_object__find_program_by_name(p->obj_, "xdpchain_steer");
  p->prog_fd_ = prog ? bpf_program__fd(prog) : -1;
  p->sockets_fd_ = map_fd(p->obj_, "steer_sockets");
  p->stats_fd_ = map_fd(p->obj_, "steer_stats");
  if (p->prog_fd_ < 0 || p->sockets_fd_ < 0 || p->stats_fd_ < 0) {
    *status = Status::fail(ErrorCode::ProgramLoad, ENOENT, "program or maps missing from the object");
    return nullptr;
  }
  *status = configure(p->obj_, local_ip, ports);
  if (!status->ok()) return nullptr;
  return p;
}

Status XdpProgram::attach(uint32_t ifindex, AttachMode mode) {
  if (link_fd_ >= 0) return Status::fail(ErrorCode::Attach, EEXIST, "already attached");
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.flags = mode == AttachMode::Skb ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
  int fd = bpf_link_create(prog_fd_, static_cast<int>(ifindex), BPF_XDP, &opts);
  if (fd < 0) {
    return Status::fail(ErrorCode::Attach, -fd, std::string("bpf_link_create(BPF_XDP, ") +
                                                  (mode == AttachMode::Skb ? "skb" : "drv") + " mode)");
  }
  link_fd_ = fd;
  return Status::success();
}

void XdpProgram::detach() {
  if (link_fd_ >= 0) ::close(link_fd_);
  link_fd_ = -1;
}

Status XdpProgram::register_socket(uint32_t queue, int xsk_fd) {
  if (queue >= STEER_QUEUES_MAX) return Status::fail(ErrorCode::InvalidArgument, 0, "queue beyond XSKMAP size");
  if (bpf_map_update_elem(sockets_fd_, &queue, &xsk_fd, BPF_ANY) != 0) {
    return Status::fail(ErrorCode::MapUpdate, errno, "steer_sockets queue " + std::to_string(queue));
  }
  return Status::success();
}

Status XdpProgram::test_run(const uint8_t* frame, uint32_t len, uint32_t* action) {
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len, .repeat = 1);
  int err = bpf_prog_test_run_opts(prog_fd_, &opts);
  if (err != 0) return Status::fail(ErrorCode::TestRun, errno, "bpf_prog_test_run_opts");
  *action = opts.retval;
  return Status::success();
}

std::vector<uint64_t> XdpProgram::stats() const {
  std::vector<uint64_t> out(STEER_STAT_COUNT, 0);
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) return out;
  std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus));
  for (uint32_t key = 0; key < STEER_STAT_COUNT; ++key) {
    if (bpf_map_lookup_elem(stats_fd_, &key, per_cpu.data()) != 0) continue;
    for (uint64_t v : per_cpu) out[key] += v;
  }
  return out;
}

XdpProgram::~XdpProgram() {
  detach();
  if (obj_) bpf_object__close(obj_);
}

}  // namespace xdpchain
