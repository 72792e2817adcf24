// netns (root): the devnet scenario of test/e2e/devnet-scenario.ts with each validator in its own network
// namespace and the data plane on AF_XDP (`--transport xdp`: no silent fallback). Skips with a printed reason
// where not root; everything it creates (namespaces, links, processes) is removed afterwards.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NetnsDevnet } from "../../node/devnet/devnet-netns.ts";
import { runScenario, startDevnet, type Devnet } from "../e2e/devnet-scenario.ts";
import { netnsSkipReason } from "./netns-fixture.ts";

const skip = netnsSkipReason();
if (skip) console.log(`netns devnet: skipped: ${skip}`);

let topo: NetnsDevnet | null = null;
let net: Devnet | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-devnet-xdp-"));

afterAll(async () => {
  await net?.procs.stopAll();
  await topo?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip !== null)("devnet over AF_XDP between network namespaces", () => {
  it("finalizes over XdpTransport, serves a wallet transfer, survives SIGKILL, and a late follower syncs", async () => {
    topo = NetnsDevnet.create(5, 0, 214);
    net = startDevnet({ dir, topology: topo.topology, transport: "xdp", validators: 4, followers: 1 });
    await runScenario(net);
    const s = await net.status(0);
    expect(s?.transport).toBe("xdp");
  }, 300_000);
});
