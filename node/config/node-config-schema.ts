// The node config file's schema (`<home>/config.json`), checked by hand so that every message names its field
// path, as genesis/genesis-schema.ts does. Every field is optional and takes its default; unknown fields are
// errors (a typo must not silently fall back to a default). Paths stay as written; node-config.ts resolves them.

import type { ConfigProblem } from "./config-error.ts";

export type Transport = "auto" | "xdp" | "udp";
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty" | "auto";

export interface HostPort {
  host: string;
  port: number;
}

export interface DataPlaneConfig {
  transport: Transport;
  host: string;
  port: number;
  /** Network interface for AF_XDP; found from `host` when absent. */
  interface?: string;
  peers: HostPort[];
}

/** The file's contents: what the operator writes. Paths may be relative to the home. */
export interface NodeConfigFile {
  genesisFile: string;
  validatorKeyFile: string | null;
  nodeKeyFile: string;
  dataDir: string;
  dataPlane: DataPlaneConfig;
  p2p: { listen: string[]; bootstrap: string[] };
  rpc: { host: string; port: number; corsOrigins: string[] };
  metrics: HostPort | null;
  consensus: { leaderTimeoutMs: number; notarizationTimeoutMs: number; retryTimeoutMs: number; blockIntervalMs: number };
  mempool: { transactionsMax: number; perSenderMax: number };
  log: { level: LogLevel; format: LogFormat };
  /** The order lane (chains whose genesis has a lane section): its UDP port on the data plane's host and socket. */
  lane: { port: number; deltaMs: number };
}

export const NODE_CONFIG_DEFAULTS: NodeConfigFile = {
  genesisFile: "genesis.json",
  validatorKeyFile: null,
  nodeKeyFile: "node-key.json",
  dataDir: "data",
  dataPlane: { transport: "auto", host: "127.0.0.1", port: 9000, peers: [] },
  p2p: { listen: ["/ip4/127.0.0.1/tcp/26656"], bootstrap: [] },
  rpc: { host: "127.0.0.1", port: 8545, corsOrigins: ["*"] },
  metrics: { host: "127.0.0.1", port: 9615 },
  consensus: { leaderTimeoutMs: 1000, notarizationTimeoutMs: 2000, retryTimeoutMs: 1000, blockIntervalMs: 200 },
  mempool: { transactionsMax: 50_000, perSenderMax: 64 },
  log: { level: "info", format: "auto" },
  lane: { port: 9400, deltaMs: 50 },
};

export type NodeConfigParse = { ok: true; config: NodeConfigFile } | { ok: false; problems: ConfigProblem[] };

const ROOT = "config";
const TIMEOUT_MS_MAX = 3_600_000;
const PEERS_MAX = 1024;
const MULTIADDRS_MAX = 256;
const CORS_ORIGINS_MAX = 64;
const PATH_CHARS_MAX = 4096;
const IPV4_OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);
/** Linux IFNAMSIZ is 16 including the terminating NUL. */
const INTERFACE_NAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{40,100}$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

type Obj = Record<string, unknown>;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/**
 * The basic shape of a TCP multiaddr: `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/ws|/wss][/p2p/<peer id>]`.
 * Returns why `text` is not one, or null.
 */
export function checkMultiaddr(text: string): string | null {
  if (!text.startsWith("/")) return "must start with / (like /ip4/127.0.0.1/tcp/26656)";
  const parts = text.slice(1).split("/");
  const [proto, host, tcp, port, ...rest] = parts;
  if (proto === "ip4") {
    if (!isIpv4(host ?? "")) return `${host ?? ""} is not an IPv4 address`;
  } else if (proto === "ip6") {
    if (!/^[0-9a-fA-F:.]+$/.test(host ?? "") || !(host ?? "").includes(":")) return `${host ?? ""} is not an IPv6 address`;
  } else if (proto === "dns" || proto === "dns4" || proto === "dns6") {
    if (!DNS_NAME.test(host ?? "")) return `${host ?? ""} is not a DNS name`;
  } else {
    return "must begin with /ip4, /ip6, /dns, /dns4 or /dns6";
  }
  if (tcp !== "tcp") return "must have /tcp/<port> after the host";
  if (!/^\d{1,5}$/.test(port ?? "") || Number(port) < 1 || Number(port) > 65535) return "tcp port must be from 1 to 65535";
  if (rest[0] === "ws" || rest[0] === "wss") rest.shift();
  if (rest.length === 0) return null;
  if (rest[0] !== "p2p" || rest.length !== 2) return "may end only with /ws, /wss and /p2p/<peer id>";
  return PEER_ID.test(rest[1]!) ? null : `${rest[1]} is not a base58 peer id`;
}

/** Field checks: each records a problem and returns undefined, so every problem is found in one pass. */
class Checker {
  readonly problems: ConfigProblem[] = [];

  fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  /** An optional object section: absent means all defaults; unknown fields are problems. */
  section(value: unknown, path: string, fields: readonly string[]): Obj | undefined {
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value)) return this.fail(path, "must be an object");
    for (const k of Object.keys(value)) if (!fields.includes(k)) this.fail(`${path}.${k}`, "unknown field");
    return value as Obj;
  }

  int(value: unknown, path: string, fallback: number, min: number, max: number): number | undefined {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      return this.fail(path, `must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  port(value: unknown, path: string, fallback: number): number | undefined {
    return this.int(value, path, fallback, 1, 65535);
  }

  host(value: unknown, path: string, fallback: string): string | undefined {
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !isIpv4(value)) return this.fail(path, 'must be an IPv4 address like "127.0.0.1"');
    return value;
  }

  filePath(value: unknown, path: string, fallback: string): string | undefined {
    if (value === undefined) return fallback;
    if (typeof value !== "string" || value.length === 0 || value.length > PATH_CHARS_MAX || value.includes("\0")) {
      return this.fail(path, "must be a non-empty file path");
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, fallback: T, options: readonly T[]): T | undefined {
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !options.includes(value as T)) return this.fail(path, `must be one of ${options.map((o) => `"${o}"`).join(", ")}`);
    return value as T;
  }

  list<T>(value: unknown, path: string, fallback: T[], max: number, item: (v: unknown, path: string) => T | undefined): T[] | undefined {
    if (value === undefined) return fallback;
    if (!Array.isArray(value)) return this.fail(path, "must be an array");
    if (value.length > max) return this.fail(path, `must have at most ${max} entries`);
    const before = this.problems.length;
    const out = value.map((v, i) => item(v, `${path}[${i}]`));
    return this.problems.length === before ? (out as T[]) : undefined;
  }

  multiaddr(value: unknown, path: string): string | undefined {
    if (typeof value !== "string") return this.fail(path, "must be a multiaddr string");
    const why = checkMultiaddr(value);
    return why ? this.fail(path, `is not a multiaddr: ${why}`) : value;
  }
}

const ROOT_FIELDS = ["genesisFile", "validatorKeyFile", "nodeKeyFile", "dataDir", "dataPlane", "p2p", "rpc", "metrics", "consensus", "mempool", "log", "lane"];

export function parseNodeConfigFile(value: unknown): NodeConfigParse {
  const c = new Checker();
  const d = NODE_CONFIG_DEFAULTS;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problems: [{ path: ROOT, message: "must be an object" }] };
  const root = c.section(value, ROOT, ROOT_FIELDS)!;
  const validatorKeyFile = root.validatorKeyFile === null ? null : c.filePath(root.validatorKeyFile, `${ROOT}.validatorKeyFile`, "");
  const out = {
    genesisFile: c.filePath(root.genesisFile, `${ROOT}.genesisFile`, d.genesisFile),
    validatorKeyFile: validatorKeyFile === "" ? null : validatorKeyFile,
    nodeKeyFile: c.filePath(root.nodeKeyFile, `${ROOT}.nodeKeyFile`, d.nodeKeyFile),
    dataDir: c.filePath(root.dataDir, `${ROOT}.dataDir`, d.dataDir),
    dataPlane: parseDataPlane(c, root.dataPlane),
    p2p: parseP2p(c, root.p2p),
    rpc: parseRpc(c, root.rpc),
    metrics: root.metrics === null ? null : parseHostPort(c, root.metrics, `${ROOT}.metrics`, d.metrics!),
    consensus: parseConsensus(c, root.consensus),
    mempool: parseMempool(c, root.mempool),
    log: parseLog(c, root.log),
    lane: parseLane(c, root.lane),
  };
  if (out.dataPlane && out.lane && out.dataPlane.port === out.lane.port) c.fail(`${ROOT}.lane.port`, `conflicts with ${ROOT}.dataPlane.port (both UDP on ${out.lane.port})`);
  if (out.rpc && out.metrics && out.rpc.port === out.metrics.port && hostsOverlap(out.rpc.host, out.metrics.host)) {
    c.fail(`${ROOT}.metrics.port`, `conflicts with ${ROOT}.rpc.port (both TCP on ${out.metrics.port})`);
  }
  if (c.problems.length > 0) return { ok: false, problems: c.problems };
  return { ok: true, config: out as NodeConfigFile };
}

function hostsOverlap(a: string, b: string): boolean {
  return a === b || a === "0.0.0.0" || b === "0.0.0.0";
}

function parseHostPort(c: Checker, value: unknown, path: string, fallback: HostPort): HostPort | undefined {
  const o = c.section(value, path, ["host", "port"]);
  if (!o) return undefined;
  const host = c.host(o.host, `${path}.host`, fallback.host);
  const port = c.port(o.port, `${path}.port`, fallback.port);
  return host === undefined || port === undefined ? undefined : { host, port };
}

function parseDataPlane(c: Checker, value: unknown): DataPlaneConfig | undefined {
  const p = `${ROOT}.dataPlane`;
  const d = NODE_CONFIG_DEFAULTS.dataPlane;
  const o = c.section(value, p, ["transport", "host", "port", "interface", "peers"]);
  if (!o) return undefined;
  const transport = c.oneOf<Transport>(o.transport, `${p}.transport`, d.transport, ["auto", "xdp", "udp"]);
  const host = c.host(o.host, `${p}.host`, d.host);
  const port = c.port(o.port, `${p}.port`, d.port);
  let iface: string | undefined;
  if (o.interface !== undefined) {
    if (typeof o.interface !== "string" || !INTERFACE_NAME.test(o.interface)) c.fail(`${p}.interface`, "must be a network interface name (1 to 15 characters)");
    else iface = o.interface;
  }
  const peers = c.list(o.peers, `${p}.peers`, [], PEERS_MAX, (v, path) => parsePeer(c, v, path));
  if (!transport || !host || !port || !peers) return undefined;
  return { transport, host, port, ...(iface ? { interface: iface } : {}), peers };
}

/** A peer names both host and port: there is no sensible default for someone else's address. */
function parsePeer(c: Checker, value: unknown, path: string): HostPort | undefined {
  const o = c.section(value ?? null, path, ["host", "port"]);
  if (!o) return undefined;
  const host = "host" in o ? c.host(o.host, `${path}.host`, "") : c.fail(`${path}.host`, "is required");
  const port = "port" in o ? c.port(o.port, `${path}.port`, 0) : c.fail(`${path}.port`, "is required");
  return host === undefined || port === undefined ? undefined : { host, port };
}

function parseP2p(c: Checker, value: unknown): NodeConfigFile["p2p"] | undefined {
  const p = `${ROOT}.p2p`;
  const d = NODE_CONFIG_DEFAULTS.p2p;
  const o = c.section(value, p, ["listen", "bootstrap"]);
  if (!o) return undefined;
  const listen = c.list(o.listen, `${p}.listen`, d.listen, 16, (v, path) => c.multiaddr(v, path));
  if (listen && listen.length === 0) c.fail(`${p}.listen`, "must have at least one multiaddr");
  const bootstrap = c.list(o.bootstrap, `${p}.bootstrap`, d.bootstrap, MULTIADDRS_MAX, (v, path) => c.multiaddr(v, path));
  return listen && listen.length > 0 && bootstrap ? { listen, bootstrap } : undefined;
}

function parseRpc(c: Checker, value: unknown): NodeConfigFile["rpc"] | undefined {
  const p = `${ROOT}.rpc`;
  const d = NODE_CONFIG_DEFAULTS.rpc;
  const o = c.section(value, p, ["host", "port", "corsOrigins"]);
  if (!o) return undefined;
  const host = c.host(o.host, `${p}.host`, d.host);
  const port = c.port(o.port, `${p}.port`, d.port);
  const corsOrigins = c.list(o.corsOrigins, `${p}.corsOrigins`, d.corsOrigins, CORS_ORIGINS_MAX, (v, path) =>
    typeof v === "string" && (v === "*" || ORIGIN.test(v)) ? v : c.fail(path, 'must be "*" or an origin like "http://localhost:3000"'),
  );
  return host && port && corsOrigins ? { host, port, corsOrigins } : undefined;
}

function parseLane(c: Checker, value: unknown): NodeConfigFile["lane"] | undefined {
  const p = `${ROOT}.lane`;
  const d = NODE_CONFIG_DEFAULTS.lane;
  const o = c.section(value, p, ["port", "deltaMs"]);
  if (!o) return undefined;
  const port = c.port(o.port, `${p}.port`, d.port);
  let deltaMs: number | undefined = d.deltaMs;
  if (o.deltaMs !== undefined) {
    if (typeof o.deltaMs !== "number" || !Number.isInteger(o.deltaMs) || o.deltaMs < 5 || o.deltaMs > 10_000) deltaMs = c.fail(`${p}.deltaMs`, "must be an integer from 5 to 10000");
    else deltaMs = o.deltaMs;
  }
  return port === undefined || deltaMs === undefined ? undefined : { port, deltaMs };
}

function parseConsensus(c: Checker, value: unknown): NodeConfigFile["consensus"] | undefined {
  const p = `${ROOT}.consensus`;
  const d = NODE_CONFIG_DEFAULTS.consensus;
  const o = c.section(value, p, ["leaderTimeoutMs", "notarizationTimeoutMs", "retryTimeoutMs", "blockIntervalMs"]);
  if (!o) return undefined;
  const out = {
    leaderTimeoutMs: c.int(o.leaderTimeoutMs, `${p}.leaderTimeoutMs`, d.leaderTimeoutMs, 1, TIMEOUT_MS_MAX),
    notarizationTimeoutMs: c.int(o.notarizationTimeoutMs, `${p}.notarizationTimeoutMs`, d.notarizationTimeoutMs, 1, TIMEOUT_MS_MAX),
    retryTimeoutMs: c.int(o.retryTimeoutMs, `${p}.retryTimeoutMs`, d.retryTimeoutMs, 1, TIMEOUT_MS_MAX),
    blockIntervalMs: c.int(o.blockIntervalMs, `${p}.blockIntervalMs`, d.blockIntervalMs, 1, TIMEOUT_MS_MAX),
  };
  return Object.values(out).some((v) => v === undefined) ? undefined : (out as NodeConfigFile["consensus"]);
}

function parseMempool(c: Checker, value: unknown): NodeConfigFile["mempool"] | undefined {
  const p = `${ROOT}.mempool`;
  const d = NODE_CONFIG_DEFAULTS.mempool;
  const o = c.section(value, p, ["transactionsMax", "perSenderMax"]);
  if (!o) return undefined;
  const transactionsMax = c.int(o.transactionsMax, `${p}.transactionsMax`, d.transactionsMax, 1, 10_000_000);
  const perSenderMax = c.int(o.perSenderMax, `${p}.perSenderMax`, d.perSenderMax, 1, 1_000_000);
  if (transactionsMax === undefined || perSenderMax === undefined) return undefined;
  if (perSenderMax > transactionsMax) return c.fail(`${p}.perSenderMax`, `must not exceed ${p}.transactionsMax (${transactionsMax})`);
  return { transactionsMax, perSenderMax };
}

function parseLog(c: Checker, value: unknown): NodeConfigFile["log"] | undefined {
  const p = `${ROOT}.log`;
  const d = NODE_CONFIG_DEFAULTS.log;
  const o = c.section(value, p, ["level", "format"]);
  if (!o) return undefined;
  const level = c.oneOf<LogLevel>(o.level, `${p}.level`, d.level, ["debug", "info", "warn", "error"]);
  const format = c.oneOf<LogFormat>(o.format, `${p}.format`, d.format, ["json", "pretty", "auto"]);
  return level && format ? { level, format } : undefined;
}
