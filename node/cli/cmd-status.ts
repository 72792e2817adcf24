// `xdpchain status [--home DIR | --rpc URL]`: asks a running node for xdp_status over JSON-RPC and prints it
// (finalized height and hash, view, role, peers, mempool, transport, sync state). Exit code 1 when the node does
// not answer, so scripts can wait on it.

import { loadNodeConfig } from "../config/node-config.ts";
import { rpcCall } from "../devnet/rpc-client.ts";
import { formatHelp, parseArgs, runCommand, type CommandSpec } from "./args.ts";

const SPEC = {
  command: "xdpchain status",
  summary: "show a running node's status",
  flags: {
    home: { type: "string", description: "read the RPC address from this node home's config.json", valueName: "DIR" },
    rpc: { type: "string", description: "the node's JSON-RPC URL", valueName: "URL" },
    json: { type: "boolean", description: "print the raw JSON" },
  },
  epilog: "With neither --home nor --rpc, asks http://127.0.0.1:8545.",
} as const satisfies CommandSpec;

export async function cmdStatus(argv: string[]): Promise<number> {
  return runCommand(SPEC.command, async () => {
    const args = parseArgs(SPEC, argv);
    if (args.help) {
      console.log(args.text || formatHelp(SPEC));
      return 0;
    }
    let url = args.flags.rpc ?? "http://127.0.0.1:8545";
    if (args.flags.home) {
      const config = loadNodeConfig(args.flags.home);
      url = `http://${config.rpc.host}:${config.rpc.port}`;
    }
    let status: Record<string, unknown>;
    try {
      status = await rpcCall<Record<string, unknown>>(url, "xdp_status", [], 3_000);
    } catch (err) {
      console.error(`xdpchain status: no answer from ${url}: ${(err as Error).message}`);
      return 1;
    }
    if (args.flags.json) console.log(JSON.stringify(status, null, 2));
    else for (const [k, v] of Object.entries(status)) console.log(`${k.padEnd(24)} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
    return 0;
  });
}
