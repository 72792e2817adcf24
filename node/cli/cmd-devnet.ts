// `xdpchain devnet`: N validator processes on this machine. As root (and unless --transport udp), each runs in
// its own network namespace on a veth link with AF_XDP, and its JSON-RPC is forwarded to 127.0.0.1:(rpc-port+i);
// otherwise all run on loopback with UDP. Prints the validators and endpoints, then a live status line, and
// tears everything down (processes, namespaces) on Ctrl-C or after --duration seconds. Unless --no-market-maker,
// a market maker (devnet-market-maker.ts) quotes every market once blocks finalize, so orders have a counterparty.

import * as fs from "node:fs";
import * as path from "node:path";
import { createDevnetPlan, loopbackTopology, type DevnetPlan } from "../devnet/devnet-plan.ts";
import { DevnetProcesses } from "../devnet/devnet-processes.ts";
import { HOST_METRICS_PORT_BASE, NetnsDevnet } from "../devnet/devnet-netns.ts";
import { DevnetStatus } from "../devnet/devnet-status.ts";
import { DevnetMarketMaker } from "../devnet/devnet-market-maker.ts";
import { toChecksumAddress } from "../../genesis/eth-address.ts";
import { devAccounts } from "../../genesis/devnet-accounts.ts";
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
    "no-market-maker": { type: "boolean", description: "do not start the market maker (dev account 9 quoting every market)" },
  },
  epilog: [
    "The development mnemonic's first accounts are funded (\"test test ... junk\", as Hardhat and Anvil).",
    "A market maker quotes every market from dev account 9 once blocks finalize (log: <dir>/market-maker.log).",
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
    const urls = plan.nodes.map((n, i) => (netns ? `http://127.0.0.1:${f["rpc-port"] + i}` : procs.rpcUrl(i)));
    const maker = f["no-market-maker"] ? null : new DevnetMarketMaker({ dir, rpcUrls: urls, log: (line) => console.log(`${process.stdout.isTTY ? "\n" : ""}${line}`) });
    const makerWait = new AbortController();
    const teardown = async () => {
      makerWait.abort();
      await maker?.stop();
      await procs.stopAll();
      await netns?.destroy();
    };
    try {
      await netns?.forwardRpc();
      procs.startAll();
      printTable(plan, netns !== null, f["rpc-port"]);
      if (maker) {
        const who = toChecksumAddress(devAccounts(1, maker.devAccount)[0]!.address);
        console.log(`market maker: dev account ${maker.devAccount} (${who}) starts once blocks finalize; log ${maker.logFile}`);
        void maker.startWhenReady(makerWait.signal).catch((err: unknown) => console.log(`devnet: the market maker could not start: ${(err as Error).message}`));
      }
      const status = new DevnetStatus(urls);
      const exitCode = await status.run({ durationMs: f.duration ? f.duration * 1000 : undefined, processes: procs });
      return exitCode;
    } finally {
      process.stdout.write("\n");
      console.log("devnet: stopping validators and removing what was created");
      await teardown();
      console.log(`devnet: stopped; logs are in ${dir}/*/node.log${maker ? ` and ${maker.logFile}` : ""}`);
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
