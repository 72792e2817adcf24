// `xdpchain devnet-init`: writes a devnet (genesis, INSECURE devnet keys, one home per validator) for validators
// that run elsewhere, e.g. one container each on a bridge network with fixed addresses (docker/compose.yaml).
// Validator i uses hosts[i] for its data plane and p2p at fixed ports; RPC and metrics bind --bind-host so that
// published ports work. Idempotent: a directory that already holds a finished devnet is kept, never regenerated.
// Runs nothing; `xdpchain start --home <dir>/validator-<i>` runs each validator.

import * as fs from "node:fs";
import * as path from "node:path";
import { createDevnetPlan, type DevnetPlan, type Topology } from "../devnet/devnet-plan.ts";
import { writeNodeConfig } from "../config/node-config.ts";
import { formatHelp, parseArgs, runCommand, UsageError, type CommandSpec } from "./args.ts";

const DATA_PORT = 9000;
const P2P_PORT = 26656;
const RPC_PORT = 8545;
const METRICS_PORT = 9615;
const LANE_PORT = 9400;
/** Written last: its presence means the devnet in the directory is complete. */
const MARKER_FILE = "devnet.json";
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const SPEC = {
  command: "xdpchain devnet-init",
  summary: "write a devnet (genesis, keys, one home per validator) for validators on given addresses",
  flags: {
    dir: { type: "string", description: "where genesis, keys and node homes go", valueName: "DIR", default: "/devnet" },
    validators: { type: "number", description: "number of validators", default: 4, integer: true, min: 1, max: 64 },
    hosts: { type: "string", description: "comma-separated IPv4 address of each validator (data plane and p2p)", valueName: "A,B,...", required: true },
    transport: { type: "string", description: "data plane: auto (AF_XDP where possible), xdp or udp", default: "auto", choices: ["auto", "xdp", "udp"] },
    "bind-host": { type: "string", description: "address JSON-RPC and metrics listen on inside each validator", valueName: "IP", default: "0.0.0.0" },
    "block-interval-ms": { type: "number", description: "the leader's minimum time between blocks", default: 200, integer: true, min: 1 },
    "leader-timeout-ms": { type: "number", description: "view timeout (shorter makes a stopped validator's views cheaper)", integer: true, min: 100 },
  },
  epilog: [
    `Ports are fixed: data ${DATA_PORT}/udp, p2p ${P2P_PORT}/tcp, JSON-RPC ${RPC_PORT}, metrics ${METRICS_PORT}.`,
    `A directory holding ${MARKER_FILE} is kept as it is; one without it (an interrupted run) is rewritten.`,
    "The development mnemonic's first accounts are funded; the validator keys are INSECURE devnet keys.",
    "Example: xdpchain devnet-init --dir /devnet --validators 4 --hosts 172.28.0.11,172.28.0.12,172.28.0.13,172.28.0.14",
  ].join("\n"),
} as const satisfies CommandSpec;

export async function cmdDevnetInit(argv: string[]): Promise<number> {
  return runCommand(SPEC.command, () => {
    const args = parseArgs(SPEC, argv);
    if (args.help) {
      console.log(args.text || formatHelp(SPEC));
      return 0;
    }
    const f = args.flags;
    const hosts = f.hosts.split(",").map((h) => h.trim()).filter((h) => h !== "");
    const bad = [...hosts, f["bind-host"]].find((h) => !IPV4.test(h));
    if (bad !== undefined) throw new UsageError(SPEC.command, `${bad} is not an IPv4 address`);
    if (hosts.length !== f.validators) throw new UsageError(SPEC.command, `--hosts names ${hosts.length} addresses for ${f.validators} validators`);
    if (new Set(hosts).size !== hosts.length) throw new UsageError(SPEC.command, "--hosts names an address twice");
    const dir = path.resolve(f.dir);

    const marker = path.join(dir, MARKER_FILE);
    if (fs.existsSync(marker)) {
      const kept = JSON.parse(fs.readFileSync(marker, "utf8")) as { chainId: string; genesisHash: string; hosts: string[] };
      console.log(`devnet-init: ${dir} already holds a devnet (chain id ${kept.chainId}, genesis ${kept.genesisHash}, ${kept.hosts.length} validators); keeping it`);
      if (kept.hosts.join(",") !== hosts.join(",")) console.log(`devnet-init: note: it was made for hosts ${kept.hosts.join(",")}, not ${hosts.join(",")}`);
      return 0;
    }
    removeIncomplete(dir);

    const topology: Topology = {
      kind: "netns",
      addresses: (i) => ({ host: hosts[i]!, dataPort: DATA_PORT, p2pPort: P2P_PORT, rpcPort: RPC_PORT, metricsPort: METRICS_PORT, lanePort: LANE_PORT }),
    };
    const transport = f.transport as "auto" | "xdp" | "udp";
    const plan = createDevnetPlan({
      dir,
      validators: f.validators,
      transport,
      topology,
      blockIntervalMs: f["block-interval-ms"],
      ...(f["leader-timeout-ms"] ? { leaderTimeoutMs: f["leader-timeout-ms"] } : {}),
    });
    for (const node of plan.nodes) writeNodeConfig(node.home, { rpc: { host: f["bind-host"] }, metrics: { host: f["bind-host"] } });
    writeMarker(marker, plan, hosts, transport);
    printPlan(plan, f["bind-host"]);
    return 0;
  });
}

/** Removes what an interrupted run may have left: only the entries a plan writes, never anything else. */
function removeIncomplete(dir: string): void {
  if (!fs.existsSync(dir)) return;
  const planned = (name: string) => name === "genesis.json" || name === "keys" || /^(validator|follower)-\d+$/.test(name);
  const leftovers = fs.readdirSync(dir).filter(planned);
  if (leftovers.length === 0) return;
  console.log(`devnet-init: ${dir} holds an unfinished devnet (no ${MARKER_FILE}); rewriting ${leftovers.join(", ")}`);
  for (const name of leftovers) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
}

function writeMarker(file: string, plan: DevnetPlan, hosts: string[], transport: string): void {
  const body = {
    chainId: plan.chainId.toString(),
    genesisHash: plan.genesisHash,
    transport,
    hosts,
    validators: plan.nodes.map((n) => ({ index: n.index, home: n.home, publicKey: n.publicKey, peerId: n.peerId })),
  };
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(body, null, 2) + "\n");
  fs.renameSync(tmp, file);
}

function printPlan(plan: DevnetPlan, bindHost: string): void {
  console.log(`devnet-init: wrote ${plan.dir}: chain id ${plan.chainId}, genesis ${plan.genesisHash}, ${plan.nodes.length} validators`);
  for (const n of plan.nodes) {
    const a = n.addresses;
    console.log(`  validator-${n.index}  data ${a.host}:${a.dataPort}/udp  p2p ${a.host}:${a.p2pPort}  rpc ${bindHost}:${a.rpcPort}  metrics ${bindHost}:${a.metricsPort}  home ${n.home}`);
  }
  console.log("devnet-init: validator keys are INSECURE devnet keys; never use them for real stake");
}
