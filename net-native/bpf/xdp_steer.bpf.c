/* XDP program of xdpchain's data plane: redirects UDP datagrams for our IPv4 address and ports to the AF_XDP
 * socket bound to the receive queue (XSKMAP keyed by queue index) and passes everything else (ARP, ICMP, SSH,
 * other ports, fragments, truncated frames) to the kernel untouched. It never drops: userspace validates the
 * redirected frames (checksums, lengths) and counts what it refuses. Built with clang -target bpf. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "steer_abi.h"

struct {
  __uint(type, BPF_MAP_TYPE_XSKMAP);
  __uint(max_entries, STEER_QUEUES_MAX);
  __type(key, __u32);
  __type(value, __u32);
} steer_sockets SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, STEER_PORTS_MAX);
  __type(key, __u16); /* UDP destination port, network byte order */
  __type(value, __u8);
} steer_ports SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct steer_config);
} steer_config SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, STEER_STAT_COUNT);
  __type(key, __u32);
  __type(value, __u64);
} steer_stats SEC(".maps");

static __always_inline int verdict(__u32 stat, int action) {
  __u64 *count = bpf_map_lookup_elem(&steer_stats, &stat);
  if (count) *count += 1; /* per-CPU slot: no atomics needed */
  return action;
}

SEC("xdp")
int xdpchain_steer(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *data_end = (void *)(long)ctx->data_end;

  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > data_end) return verdict(STEER_STAT_PASS_TRUNCATED, XDP_PASS);
  if (eth->h_proto != bpf_htons(ETH_P_IP)) return verdict(STEER_STAT_PASS_NOT_IPV4, XDP_PASS);

  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > data_end) return verdict(STEER_STAT_PASS_TRUNCATED, XDP_PASS);
  if (ip->version != 4 || ip->ihl < 5) return verdict(STEER_STAT_PASS_NOT_IPV4, XDP_PASS);
  if (ip->protocol != IPPROTO_UDP) return verdict(STEER_STAT_PASS_NOT_UDP, XDP_PASS);

  __u32 zero = 0;
  struct steer_config *config = bpf_map_lookup_elem(&steer_config, &zero);
  if (!config) return XDP_PASS;
  if (config->local_ip_be != 0 && ip->daddr != config->local_ip_be)
    return verdict(STEER_STAT_PASS_OTHER_ADDRESS, XDP_PASS);
  if (ip->frag_off & bpf_htons(0x3fff)) return verdict(STEER_STAT_PASS_FRAGMENT, XDP_PASS);

  struct udphdr *udp = (void *)ip + ip->ihl * 4;
  if ((void *)(udp + 1) > data_end) return verdict(STEER_STAT_PASS_TRUNCATED, XDP_PASS);
  __u16 port = udp->dest;
  if (!bpf_map_lookup_elem(&steer_ports, &port)) return verdict(STEER_STAT_PASS_OTHER_PORT, XDP_PASS);

  /* The low bits of flags are the action when the queue has no socket: the kernel then gets the frame. */
  int action = bpf_redirect_map(&steer_sockets, ctx->rx_queue_index, XDP_PASS);
  return verdict(action == XDP_REDIRECT ? STEER_STAT_REDIRECTED : STEER_STAT_NO_SOCKET, action);
}

char _license[] SEC("license") = "GPL";
