// Benchmark load generator: floods UDP frames from an AF_XDP socket (copy mode) as fast as the kernel takes
// them, for a fixed time, then prints one JSON line. Frames are built once with frame.h and resent; source
// ports cycle over 16 values so a multi-queue receiver sees several flows. Usage:
//   xsk-flood --ifname IF --src-ip A --dst-ip B --dst-port P --dst-mac M [--size 64] [--seconds 4] [--pps 0]
#include <signal.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "../native/frame.h"
#include "../native/netlink.h"
#include "../native/xsk_socket.h"
#include "tool_args.h"

using namespace xdpchain;

static volatile sig_atomic_t g_stop = 0;  // set by SIGINT/SIGTERM: stop and report what was sent

static void on_stop(int) { g_stop = 1; }

static double now_s() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  ToolArgs args(argc, argv);
  InterfaceInfo iface;
  Status st = interface_info(args.str("--ifname", nullptr), &iface);
  if (!st.ok()) {
    std::fprintf(stderr, "%s: %s\n", error_code_name(st.code), st.detail.c_str());
    return 1;
  }
  XskConfig xc;
  xc.ifindex = iface.ifindex;
  xc.rx_frames = 64;
  xc.tx_frames = 2048;
  auto sock = XskSocket::open(xc, &st);
  if (!sock) {
    std::fprintf(stderr, "%s: %s (errno %d)\n", error_code_name(st.code), st.detail.c_str(), st.err);
    return 1;
  }
  TxHeaderTemplate from;
  std::memcpy(from.src_mac, iface.mac, 6);
  from.src_ip = args.ip("--src-ip");
  TxDatagram d;
  args.mac("--dst-mac", d.dst_mac);
  d.dst_ip = args.ip("--dst-ip");
  d.dst_port = static_cast<uint16_t>(args.num("--dst-port", nullptr));
  std::vector<uint8_t> payload(args.num("--size", "64"), 0xab);
  d.payload = payload.data();
  d.payload_len = static_cast<uint32_t>(payload.size());
  double seconds = static_cast<double>(args.num("--seconds", "4"));
  double pps_max = static_cast<double>(args.num("--pps", "0"));

  std::vector<uint64_t> free_frames;
  std::vector<uint32_t> lengths(xc.tx_frames);
  for (uint32_t i = 0; i < xc.tx_frames; ++i) {
    uint64_t addr = static_cast<uint64_t>(xc.rx_frames + i) * xc.frame_bytes;
    d.src_port = static_cast<uint16_t>(50000 + i % 16);
    lengths[i] = build_udp_frame(sock->umem() + addr, xc.frame_bytes, from, d, static_cast<uint16_t>(i));
    free_frames.push_back(addr);
  }
  ::signal(SIGINT, on_stop);
  ::signal(SIGTERM, on_stop);
  uint64_t sent = 0;
  double start = now_s();
  while (!g_stop) {
    double t = now_s() - start;
    if (t >= seconds) break;
    if (pps_max > 0 && sent > pps_max * t) continue;
    uint32_t ci = 0;
    uint32_t done = sock->completion.peek(2048, &ci);
    for (uint32_t i = 0; i < done; ++i) free_frames.push_back(sock->completion.at(ci + i));
    if (done) sock->completion.release(done);
    uint32_t ti = 0;
    uint32_t n = sock->tx.reserve(static_cast<uint32_t>(std::min<size_t>(free_frames.size(), 32)), &ti);
    for (uint32_t i = 0; i < n; ++i) {
      uint64_t addr = free_frames.back();
      free_frames.pop_back();
      uint32_t idx = static_cast<uint32_t>(addr / xc.frame_bytes) - xc.rx_frames;
      sock->tx.at(ti + i) = xdp_desc{addr, lengths[idx], 0};
    }
    sock->tx.submit();
    sent += n;
    ::sendto(sock->fd(), nullptr, 0, MSG_DONTWAIT, nullptr, 0);
  }
  double elapsed = now_s() - start;
  std::printf("{\"sent\":%llu,\"seconds\":%.3f,\"pps\":%.0f}\n", static_cast<unsigned long long>(sent), elapsed, sent / elapsed);
  return 0;
}
