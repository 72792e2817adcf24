// netns (root): the order-lane scenario of test/e2e/lane-scenario.ts with each validator in its own network
// namespace, the data plane on AF_XDP (`--transport xdp`) and orders sent from the host to every validator's lane
// port. Skips with a printed reason where not root; namespaces, links and processes are removed afterwards.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NetnsDevnet } from "../../node/devnet/devnet-netns.ts";
import { rpcCall } from "../../node/devnet/rpc-client.ts";
import { startDevnet, type Devnet } from "../e2e/devnet-scenario.ts";
import { runLaneScenario } from "../e2e/lane-scenario.ts";
import { netnsSkipReason } from "./netns-fixture.ts";

const skip = netnsSkipReason();
if (skip) console.log(`netns lane devnet: skipped: ${skip}`);

let topo: NetnsDevnet | null = null;
let net: Devnet | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-lane-xdp-"));

afterAll(async () => {
  await net?.procs.stopAll();
  await topo?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip !== null)("order lane over AF_XDP between network namespaces", () => {
  it("executes orders sent to the validators' lane ports identically everywhere", async () => {
    topo = NetnsDevnet.create(4, 0, 215);
    net = startDevnet({ dir, topology: topo.topology, transport: "xdp", validators: 4, followers: 0 });
    await net.waitFor("every validator finalizes 3 blocks", async () => (await net!.heights()).every((h) => h !== null && h >= 3), 90_000);
    await runLaneScenario(net, [0, 1, 2, 3]);
    const s = await net.status(0);
    expect(s?.transport).toBe("xdp");
    const info = await rpcCall<{ ingest: string; reason: string }>(net.url(0), "lane_info");
    console.log(`netns lane devnet: lane ingest ${info.ingest} (${info.reason})`);
    expect(info.ingest).toBe("xdp");
  }, 300_000);
});
