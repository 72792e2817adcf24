// Why AF_XDP cannot be used here, in one line, or null when it can be tried. Checks what can be checked
// without side effects: the addon, privileges (DESIGN.md "Privileges and fallback": CAP_NET_ADMIN, CAP_BPF,
// CAP_NET_RAW, and CAP_IPC_LOCK or a memlock limit above the UMEM size), kernel support and the interface.
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";

import { loadAddon } from "../../net-native/src/index.ts";

const CAP_NET_ADMIN = 12n;
const CAP_NET_RAW = 13n;
const CAP_IPC_LOCK = 14n;
const CAP_SYS_ADMIN = 21n;
const CAP_BPF = 39n;

/** Effective capabilities of this process, from /proc/self/status (CapEff); null when unreadable. */
export function effectiveCapabilities(): bigint | null {
  try {
    const line = readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith("CapEff:"));
    return line ? BigInt(`0x${line.split(/\s+/)[1]}`) : null;
  } catch {
    return null;
  }
}

/** RLIMIT_MEMLOCK soft limit in bytes from /proc/self/limits; Infinity for "unlimited", null when unreadable. */
export function memlockLimitBytes(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max locked memory"));
    const soft = line?.slice("Max locked memory".length).trim().split(/\s+/)[0];
    if (soft === undefined) return null;
    return soft === "unlimited" ? Infinity : Number(soft);
  } catch {
    return null;
  }
}

/** Finds the interface that holds an IPv4 address in this process's network namespace. */
export function interfaceForAddress(host: string): string | null {
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (addrs?.some((a) => a.family === "IPv4" && a.address === host)) return name;
  }
  return null;
}

export interface XdpSupportQuery {
  host: string;
  interface?: string;
  umemBytes: number;
}

/** The privilege part of the decision, from raw facts: testable without changing this process's privileges. */
export function privilegeReason(caps: bigint | null, memlockBytes: number | null, uid: number | undefined, umemBytes: number): string | null {
  if (caps === null) return null; // cannot tell: let the attempt decide
  const has = (bit: bigint): boolean => ((caps >> bit) & 1n) === 1n;
  const missing: string[] = [];
  if (!has(CAP_NET_ADMIN)) missing.push("CAP_NET_ADMIN");
  if (!has(CAP_NET_RAW)) missing.push("CAP_NET_RAW");
  if (!has(CAP_BPF) && !has(CAP_SYS_ADMIN)) missing.push("CAP_BPF");
  if (!has(CAP_IPC_LOCK) && memlockBytes !== null && memlockBytes < umemBytes) {
    missing.push(`CAP_IPC_LOCK (or a memlock limit of ${umemBytes} bytes; it is ${memlockBytes})`);
  }
  if (missing.length === 0) return null;
  return `missing ${missing.join(", ")}${uid === 0 ? "" : " (not root)"}`;
}

export function xdpUnavailableReason(q: XdpSupportQuery): string | null {
  const load = loadAddon();
  if (!load.ok) return load.reason;
  const privileges = privilegeReason(effectiveCapabilities(), memlockLimitBytes(), process.getuid?.(), q.umemBytes);
  if (privileges) return privileges;
  const probe = load.addon.probe();
  if (!probe.afXdp) return `kernel refuses AF_XDP sockets: ${probe.error ?? `errno ${probe.errno}`}`;
  if (q.host === "0.0.0.0") return "AF_XDP needs a concrete local IPv4 address, not 0.0.0.0";
  const ifname = q.interface ?? interfaceForAddress(q.host);
  if (!ifname) return `no interface holds ${q.host}`;
  if (!networkInterfaces()[ifname]) return `interface ${ifname} missing`;
  return null;
}
