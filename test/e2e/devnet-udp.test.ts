// e2e: a devnet of four validator processes and a late follower on loopback over UDP (see devnet-scenario.ts),
// plus bad input against a running node: each gets the right JSON-RPC error and the chain keeps finalizing.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Topology } from "../../node/devnet/devnet-plan.ts";
import { freePorts } from "../support/free-ports.ts";
import { runScenario, startDevnet, type Devnet } from "./devnet-scenario.ts";
import { badInputChecks } from "./rpc-bad-input.ts";

const NODES = 5;
let net: Devnet;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-devnet-udp-"));

beforeAll(async () => {
  const ports = await freePorts(NODES * 5);
  const topology: Topology = {
    kind: "loopback",
    addresses: (i) => ({ host: "127.0.0.1", dataPort: ports[i * 5]!, p2pPort: ports[i * 5 + 1]!, rpcPort: ports[i * 5 + 2]!, metricsPort: ports[i * 5 + 3]!, lanePort: ports[i * 5 + 4]! }),
  };
  net = startDevnet({ dir, topology, transport: "udp", validators: 4, followers: 1 });
});

afterAll(async () => {
  await net?.procs.stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("devnet over UDP (real processes on loopback)", () => {
  it("finalizes, serves a wallet transfer, survives SIGKILL of a validator, and a late follower syncs", async () => {
    await runScenario(net);
  }, 300_000);

  it("answers bad input with the right JSON-RPC errors and keeps finalizing", async () => {
    const before = (await net.status(0))!.finalizedHeight;
    await badInputChecks(net.url(0), Number(net.plan.chainId));
    await net.waitFor("finalizing after bad input", async () => ((await net.status(0))?.finalizedHeight ?? 0) >= before + 5, 30_000);
    expect((await net.status(0))!.finalizedHeight).toBeGreaterThanOrEqual(before + 5);
  }, 120_000);
});
