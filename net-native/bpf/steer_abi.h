/* Layout shared by the XDP steering program (bpf/xdp_steer.bpf.c) and the loader (native/xdp_program.cc).
 * Only fixed-width kernel types, so the same bytes mean the same thing on both sides of bpf(2).
 * Not a general packet filter: it names the few things the program needs to steer our UDP ports. */
#ifndef XDPCHAIN_STEER_ABI_H
#define XDPCHAIN_STEER_ABI_H

#include <linux/types.h>

/* Limits: the loader refuses more ports or queues than these (map sizes are fixed at load). */
#define STEER_PORTS_MAX 16
#define STEER_QUEUES_MAX 64

/* Value of the single entry of the "steer_config" array map. local_ip_be == 0 accepts any destination. */
struct steer_config {
  __u32 local_ip_be; /* IPv4 destination we own, network byte order */
  __u32 reserved;
};

/* Indexes into the per-CPU "steer_stats" array: why each frame got its verdict. */
enum steer_stat {
  STEER_STAT_REDIRECTED = 0, /* handed to the AF_XDP socket of the receive queue */
  STEER_STAT_NO_SOCKET,      /* ours, but no socket on this queue: passed to the kernel */
  STEER_STAT_PASS_NOT_IPV4,  /* ARP, IPv6, VLAN, ... */
  STEER_STAT_PASS_NOT_UDP,   /* ICMP, TCP, ... */
  STEER_STAT_PASS_OTHER_ADDRESS,
  STEER_STAT_PASS_OTHER_PORT,
  STEER_STAT_PASS_FRAGMENT,  /* IPv4 fragments: the kernel reassembles or drops them */
  STEER_STAT_PASS_TRUNCATED, /* too short to hold the headers we read */
  STEER_STAT_COUNT
};

#endif
