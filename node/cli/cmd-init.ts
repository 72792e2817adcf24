// `xdpchain init --home DIR`: creates a node home (config.json with defaults and the flags given here, a copy of
// the genesis, a new node identity key, keys/ and data/) and prints what it made and the command to run next.
// Refuses an existing home without --force. The work itself is node/config/node-home.ts; this file is flags.

import { toHex } from "../../consensus/crypto/hash.ts";
import { isIpv4 } from "../config/node-config-schema.ts";
import type { NodeConfigOverrides } from "../config/node-config.ts";
import { initNodeHome, SHIPPED_DEVNET_GENESIS, type InitHomeResult } from "../config/node-home.ts";
import { parseArgs, runCommand, UsageError, type CommandSpec } from "./args.ts";

const PORT = { type: "number", integer: true, min: 1, max: 65535, valueName: "PORT" } as const;

const SPEC = {
  command: "xdpchain init",
  summary: "create a node home: config.json, genesis.json, node-key.json, keys/ and data/",
  flags: {
    home: { type: "string", description: "the node home directory to create", valueName: "DIR", required: true },
    genesis: { type: "string", description: "genesis file to copy into the home (default: the shipped devnet genesis)", valueName: "FILE" },
    "validator-key": { type: "string", description: "validator key file to copy into keys/ (without one: a follower node)", valueName: "FILE" },
    force: { type: "boolean", description: "rewrite config.json and genesis.json of an existing home (node key, keys/ and data/ are kept)" },
    host: { type: "string", description: "IPv4 address to bind the data plane, p2p, RPC and metrics to (default 127.0.0.1)", valueName: "IP" },
    "data-port": { ...PORT, description: "data plane UDP port (default 9000)" },
    transport: { type: "string", description: "data plane transport (default auto)", valueName: "KIND", choices: ["auto", "xdp", "udp"] },
    interface: { type: "string", description: "network interface for AF_XDP (default: found from the host address)", valueName: "NAME" },
    "data-peer": { type: "repeatable", description: "another validator's data plane address", valueName: "HOST:PORT" },
    "p2p-port": { ...PORT, description: "libp2p TCP port (default 26656)" },
    bootstrap: { type: "repeatable", description: "libp2p bootstrap peer", valueName: "MULTIADDR" },
    "rpc-port": { ...PORT, description: "JSON-RPC port (default 8545)" },
    "metrics-port": { ...PORT, description: "Prometheus metrics port (default 9615)" },
    "no-metrics": { type: "boolean", description: "do not serve metrics" },
    "log-level": { type: "string", description: "log level (default info)", valueName: "LEVEL", choices: ["debug", "info", "warn", "error"] },
  },
  epilog: "Example:\n  xdpchain init --home ~/.xdpchain --genesis genesis.json --validator-key validator-0.json\n  xdpchain start --home ~/.xdpchain",
} as const satisfies CommandSpec;

type InitFlags = Extract<ReturnType<typeof parseArgs<typeof SPEC>>, { help: false }>["flags"];

function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || !isIpv4(m[1]!) || port < 1 || port > 65535) throw new UsageError(SPEC.command, `--data-peer must be IPv4:PORT, got '${text}'`);
  return { host: m[1]!, port };
}

function overridesFrom(f: InitFlags): NodeConfigOverrides {
  if (f.host !== undefined && !isIpv4(f.host)) throw new UsageError(SPEC.command, `--host must be an IPv4 address, got '${f.host}'`);
  if (f["no-metrics"] && f["metrics-port"] !== undefined) throw new UsageError(SPEC.command, "--no-metrics and --metrics-port contradict each other");
  const host = f.host;
  const o: NodeConfigOverrides = {};
  o.dataPlane = {
    ...(host ? { host } : {}),
    ...(f["data-port"] !== undefined ? { port: f["data-port"] } : {}),
    ...(f.transport ? { transport: f.transport as "auto" | "xdp" | "udp" } : {}),
    ...(f.interface ? { interface: f.interface } : {}),
    ...(f["data-peer"].length > 0 ? { peers: f["data-peer"].map(parseHostPort) } : {}),
  };
  if (host || f["p2p-port"] !== undefined || f.bootstrap.length > 0) {
    o.p2p = {
      ...(host || f["p2p-port"] !== undefined ? { listen: [`/ip4/${host ?? "127.0.0.1"}/tcp/${f["p2p-port"] ?? 26656}`] } : {}),
      ...(f.bootstrap.length > 0 ? { bootstrap: f.bootstrap } : {}),
    };
  }
  o.rpc = { ...(host ? { host } : {}), ...(f["rpc-port"] !== undefined ? { port: f["rpc-port"] } : {}) };
  o.metrics = f["no-metrics"] ? null : { ...(host ? { host } : {}), ...(f["metrics-port"] !== undefined ? { port: f["metrics-port"] } : {}) };
  if (f["log-level"]) o.log = { level: f["log-level"] as "debug" | "info" | "warn" | "error" };
  return o;
}

function report(r: InitHomeResult): void {
  const lines = [
    `initialized node home ${r.home}`,
    `  config     ${r.configFile}`,
    `  genesis    ${r.genesisFile} (from ${r.genesisSource}; chain id ${r.chainId}, genesis hash 0x${toHex(r.genesisHash)})`,
    `  node key   ${r.nodeKeyFile} (${r.nodeKeyCreated ? "new" : "kept"}; public key 0x${toHex(r.nodePublicKey)})`,
    r.validatorKeyFile
      ? `  validator  ${r.validatorKeyFile} (public key 0x${toHex(r.validatorPublicKey!)})`
      : "  validator  none: this node follows the chain without voting",
    `  keys       ${r.keysDir}`,
    `  data       ${r.dataDir}`,
  ];
  console.log(lines.join("\n"));
  if (r.validatorInGenesis === false) console.log("warning: the validator key is not in the genesis validator set; it votes only once it is bonded");
  if (r.dataDirHadData) console.log(`warning: ${r.dataDir} already holds chain data; delete it if the genesis changed`);
  if (!r.validatorKeyFile) console.log(`to validate: xdpchain keys generate --home ${r.home} --type validator`);
  console.log(`next: xdpchain start --home ${r.home}`);
}

export async function cmdInit(argv: string[]): Promise<number> {
  return runCommand(SPEC.command, () => {
    const args = parseArgs(SPEC, argv);
    if (args.help) {
      console.log(args.text);
      return 0;
    }
    const f = args.flags;
    const result = initNodeHome({
      home: f.home,
      genesisFile: f.genesis ?? SHIPPED_DEVNET_GENESIS,
      ...(f["validator-key"] ? { validatorKeyFile: f["validator-key"] } : {}),
      force: f.force,
      overrides: overridesFrom(f),
    });
    report(result);
    return 0;
  });
}
