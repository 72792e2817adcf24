// `xdpchain devnet`: N validator processes on this machine. As root (and unless --transport udp), each runs in
// its own network namespace on a veth link with AF_XDP, and its JSON-RPC is forwarded to 127.0.0.1:(rpc-port+i);
// otherwise all run on loopback with UDP. Prints the validators and endpoints, then a live status line, and
// tears everything down (processes, namespaces) on Ctrl-C or after --duration seconds.

import * as fs from "node:fs";
import * as path from "node:path";
import { createDevnetPlan, loopbackTopology, type DevnetPlan } from "../devnet/devnet-plan.ts";
import { DevnetProcesses } from "../devnet/devnet-processes.ts";
import { HOST_METRICS_PORT_BASE, NetnsDevnet } from "../devnet/devnet-netns.ts";
import { DevnetStatus } from "../devnet/devnet-status.ts";
import { formatHelp, parseArgs, runCommand, type CommandSpec } from "./args.ts";

const SPEC = {
  command: "xdpchain devnet",
  summary: "run a local devnet of validator processes",
  flags: {
    validators: { type: "number", description: "number of validators", default: 4, integer: true, min: 1, max: 64 },
    transport: { type: "string", description: "data plane: auto (AF_XDP where possible), xdp or udp", default: "auto", choices: ["auto", "xdp", "udp"] },
    "rpc-port": { type: "number", description: "JSON-RPC of validator i is on 127.0.0.1:(rpc-port + i)", default: 8545, integer: true, min: 1, max: 65_000 },
    dir: { type: "string", description: "where genesis, keys and node homes go (wiped at start)", valueName: "DIR", default: ".devnet" },
    duration: { type: "number", description: "stop after this many seconds (default: until Ctrl-C)", integer: true, min: 1 },
    "block-interval-ms": { type: "number", description: "the leader's minimum time between blocks", default: 200, integer: true, min: 1 },
  },
  epilog: [
    "The development mnemonic's first accounts are funded (\"test test ... junk\", as Hardhat and Anvil).",
    "Example: xdpchain devnet --validators 4 --transport udp",
  ].join("\n"),
} as const satisfies CommandSpec;

export async function cmdDevnet(argv: string[]): Promise<number> {
  return runCommand(SPEC.command, async () => {
    const args = parseArgs(SPEC, argv);
    if (args.help) {
      console.log(args.text || formatHelp(SPEC));
      return 0;
    }
    const f = args.flags;
    const transport = f.transport as "auto" | "xdp" | "udp";
    const dir = path.resolve(f.dir);
    fs.rmSync(dir, { recursive: true, force: true });
    const isRoot = process.getuid?.() === 0;
    let netns: NetnsDevnet | null = null;
    if (transport !== "udp") {
      if (isRoot) netns = NetnsDevnet.create(f.validators, f["rpc-port"]);
      else if (transport === "xdp") throw new Error("--transport xdp needs root (network namespaces and AF_XDP); use auto or udp");
      else console.log("devnet: not root, so validators run on loopback over UDP (AF_XDP needs root and network namespaces)");
    }
    const plan = createDevnetPlan({
      dir,
      validators: f.validators,
      transport: netns ? transport : "udp",
      topology: netns ? netns.topology : loopbackTopology({ rpcPort: f["rpc-port"] }),
      blockIntervalMs: f["block-interval-ms"],
    });
    const procs = new DevnetProcesses(plan);
    const teardown = async () => {
      await procs.stopAll();
      await netns?.destroy();
    };
    try {
      await netns?.forwardRpc();
      procs.startAll();
      printTable(plan, netns !== null, f["rpc-port"]);
      const status = new DevnetStatus(plan.nodes.map((n, i) => (netns ? `http://127.0.0.1:${f["rpc-port"] + i}` : procs.rpcUrl(i))));
      const exitCode = await status.run({ durationMs: f.duration ? f.duration * 1000 : undefined, processes: procs });
      return exitCode;
    } finally {
      process.stdout.write("\n");
      console.log("devnet: stopping validators and removing what was created");
      await teardown();
      console.log(`devnet: stopped; logs are in ${dir}/*/node.log`);
    }
  });
}

function printTable(plan: DevnetPlan, inNetns: boolean, rpcPort: number): void {
  console.log(`devnet: chain id ${plan.chainId}, genesis ${plan.genesisHash.slice(0, 18)}…, ${plan.nodes.length} validators, dir ${plan.dir}`);
  const rows = plan.nodes.map((n, i) => {
    const a = n.addresses;
    return [
      String(i),
      n.publicKey ? `${n.publicKey.slice(0, 12)}…` : "-",
      `http://127.0.0.1:${inNetns ? rpcPort + i : a.rpcPort}`,
      `${a.host}:${a.dataPort}${a.interface ? ` (${a.netns}/${a.interface})` : ""}`,
      `${a.host}:${a.p2pPort}`,
      inNetns ? `http://127.0.0.1:${HOST_METRICS_PORT_BASE + i}/metrics` : `http://${a.host}:${a.metricsPort}/metrics`,
    ];
  });
  const head = ["#", "validator key", "JSON-RPC", "data plane", "p2p", "metrics"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ");
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log('funded: the development mnemonic "test test test test test test test test test test test junk" (accounts 0..9)');
  console.log("Ctrl-C stops the devnet.");
}
