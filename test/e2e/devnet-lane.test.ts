// The order lane end to end on a 4-validator devnet of real processes on loopback (UDP lane ingest): wallet
// transactions register keys and deposit, signed order datagrams go to every validator, fills and state roots
// agree everywhere. The AF_XDP variant runs in network namespaces (test/netns/devnet-lane-xdp.test.ts).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, it } from "vitest";
import { freePorts } from "../support/free-ports.ts";
import { startDevnet, type Devnet } from "./devnet-scenario.ts";
import { runLaneScenario } from "./lane-scenario.ts";

const NODES = 4;

describe("order lane on a devnet (real processes on loopback)", () => {
  let net: Devnet | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-lane-e2e-"));
  afterAll(async () => {
    await net?.procs.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("executes orders sent over the lane identically on every validator", async () => {
    const ports = await freePorts(NODES * 5);
    net = startDevnet({
      dir,
      transport: "udp",
      validators: NODES,
      followers: 0,
      topology: {
        kind: "loopback",
        addresses: (i) => ({ host: "127.0.0.1", dataPort: ports[i * 5]!, p2pPort: ports[i * 5 + 1]!, rpcPort: ports[i * 5 + 2]!, metricsPort: ports[i * 5 + 3]!, lanePort: ports[i * 5 + 4]! }),
      },
    });
    await net.waitFor("every validator finalizes 3 blocks", async () => (await net!.heights()).every((h) => h !== null && h >= 3), 60_000);
    await runLaneScenario(net, [0, 1, 2, 3]);
  }, 180_000);
});
