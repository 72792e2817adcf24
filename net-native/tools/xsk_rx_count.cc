// Benchmark ceiling: the smallest useful AF_XDP receive loop in C++, with the same socket and program code as
// the addon but no JavaScript and no copy. It counts frames (optionally validating them with frame.h) for a
// fixed time after the first one arrives and prints one JSON line. Usage:
//   xsk-rx-count --ifname IF --ip A.B.C.D --port P [--mode skb|drv] [--poll wakeup|busy] [--seconds 3]
//                [--validate 0|1] [--idle-seconds 10]
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include <cstdio>

#include "../native/frame.h"
#include "../native/netlink.h"
#include "../native/xdp_program.h"
#include "../native/xsk_socket.h"
#include "tool_args.h"

using namespace xdpchain;

static double now_s() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

static int fail(const Status& st) {
  std::fprintf(stderr, "%s: %s (errno %d)\n", error_code_name(st.code), st.detail.c_str(), st.err);
  return 1;
}

int main(int argc, char** argv) {
  ToolArgs args(argc, argv);
  InterfaceInfo iface;
  Status st = interface_info(args.str("--ifname", nullptr), &iface);
  if (!st.ok()) return fail(st);
  uint32_t ip = args.ip("--ip");
  uint16_t port = static_cast<uint16_t>(args.num("--port", nullptr));
  bool skb = args.str("--mode", "skb") == "skb";
  bool busy = args.str("--poll", "wakeup") == "busy";
  bool validate = args.num("--validate", "0") != 0;
  double seconds = static_cast<double>(args.num("--seconds", "3"));
  double idle_max = static_cast<double>(args.num("--idle-seconds", "10"));

  auto program = XdpProgram::load(ip, {port}, &st);
  if (!program) return fail(st);
  st = program->attach(iface.ifindex, skb ? AttachMode::Skb : AttachMode::Drv);
  if (!st.ok()) return fail(st);
  XskConfig xc;
  xc.ifindex = iface.ifindex;
  xc.bind_flags = skb ? XDP_COPY : 0;
  auto sock = XskSocket::open(xc, &st);
  if (!sock) return fail(st);
  st = program->register_socket(0, sock->fd());
  if (!st.ok()) return fail(st);
  std::printf("ready\n");
  std::fflush(stdout);

  RxFilter filter;
  filter.local_ip = ip;
  filter.ports[0] = port;
  filter.port_count = 1;
  filter.payload_max = 2048;
  uint64_t frames = 0, valid = 0;
  double start = 0, began = now_s();
  const uint64_t mask = ~static_cast<uint64_t>(xc.frame_bytes - 1);
  while (true) {
    double t = now_s();
    if (start == 0 && t - began > idle_max) break;
    if (start != 0 && t - start >= seconds) break;
    uint32_t first = 0;
    uint32_t n = sock->rx.peek(64, &first);
    if (n == 0) {
      if (!busy) {
        pollfd p{sock->fd(), POLLIN, 0};
        ::poll(&p, 1, 100);
      }
      continue;
    }
    if (start == 0) start = t;
    uint32_t fi = 0;
    uint32_t got = sock->fill.reserve(n, &fi);
    for (uint32_t i = 0; i < n; ++i) {
      const xdp_desc& d = sock->rx.at(first + i);
      if (validate) {
        RxDatagram dg;
        valid += parse_udp_frame(sock->umem() + d.addr, d.len, filter, &dg) == RxVerdict::Ok;
      } else {
        valid += sock->umem()[d.addr + 12] == 0x08;  // touch the frame: read its EtherType
      }
      if (i < got) sock->fill.at(fi + i) = d.addr & mask;
    }
    sock->rx.release(n);
    sock->fill.submit();
    frames += n;
  }
  double elapsed = start == 0 ? 0 : now_s() - start;
  XskKernelStats k = sock->kernel_stats();  // where the kernel dropped what this loop did not take in time
  std::printf("{\"frames\":%llu,\"valid\":%llu,\"seconds\":%.3f,\"pps\":%.0f,\"kernelRxDropped\":%llu,"
              "\"kernelRingFull\":%llu,\"fillEmpty\":%llu}\n",
              static_cast<unsigned long long>(frames), static_cast<unsigned long long>(valid), elapsed,
              elapsed > 0 ? frames / elapsed : 0.0, static_cast<unsigned long long>(k.rx_dropped),
              static_cast<unsigned long long>(k.rx_ring_full), static_cast<unsigned long long>(k.rx_fill_ring_empty_descs));
  return 0;
}
