// The node config: defaults, relative paths resolved against the home, every invalid field reported by its
// path in one error, overrides merged section by section, and writes that validate before replacing the file.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../../node/config/config-error.ts";
import { checkMultiaddr } from "../../../../node/config/node-config-schema.ts";
import { defaultNodeConfig, loadNodeConfig, nodeConfigFromJson, writeNodeConfig } from "../../../../node/config/node-config.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

function problemsOf(value: unknown): string[] {
  try {
    nodeConfigFromJson(value, "/home/x");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe("CONFIG_ERROR_INVALID");
    return (err as ConfigError).data.problems!.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error("config was accepted");
}

describe("node config", () => {
  it("has the documented defaults, with paths resolved against the home", () => {
    const c = defaultNodeConfig("/srv/node/../node");
    expect(c).toEqual({
      home: "/srv/node",
      genesisFile: "/srv/node/genesis.json",
      validatorKeyFile: null,
      nodeKeyFile: "/srv/node/node-key.json",
      dataDir: "/srv/node/data",
      dataPlane: { transport: "auto", host: "127.0.0.1", port: 9000, peers: [] },
      p2p: { listen: ["/ip4/127.0.0.1/tcp/26656"], bootstrap: [] },
      rpc: { host: "127.0.0.1", port: 8545, corsOrigins: ["*"] },
      metrics: { host: "127.0.0.1", port: 9615 },
      consensus: { leaderTimeoutMs: 1000, notarizationTimeoutMs: 2000, retryTimeoutMs: 1000, blockIntervalMs: 200 },
      mempool: { transactionsMax: 50_000, perSenderMax: 64 },
      log: { level: "info", format: "auto" },
      lane: { port: 9400, deltaMs: 50 },
    });
    expect(nodeConfigFromJson({}, "/srv/node")).toEqual(c);
  });

  it("resolves relative paths against the home and keeps absolute ones", () => {
    const c = nodeConfigFromJson(
      { genesisFile: "../shared/genesis.json", validatorKeyFile: "keys/v.json", nodeKeyFile: "/etc/xdp/node-key.json", dataDir: "db" },
      "/srv/a",
    );
    expect(c.genesisFile).toBe("/srv/shared/genesis.json");
    expect(c.validatorKeyFile).toBe("/srv/a/keys/v.json");
    expect(c.nodeKeyFile).toBe("/etc/xdp/node-key.json");
    expect(c.dataDir).toBe("/srv/a/db");
  });

  it("fills missing fields inside a section and accepts metrics: null and an interface", () => {
    const c = nodeConfigFromJson({ rpc: { port: 9545 }, metrics: null, dataPlane: { interface: "veth0", transport: "xdp" } }, "/h");
    expect(c.rpc).toEqual({ host: "127.0.0.1", port: 9545, corsOrigins: ["*"] });
    expect(c.metrics).toBeNull();
    expect(c.dataPlane).toMatchObject({ interface: "veth0", transport: "xdp", port: 9000 });
  });

  it("reports every invalid field by name in one error", () => {
    const problems = problemsOf({
      genesisFile: "",
      validatorKeyFile: 5,
      dataDir: 3,
      extra: true,
      dataPlane: { transport: "tcp", host: "localhost", port: 0, interface: "a-very-long-interface-name", peers: [{ host: "10.0.0.1" }, { host: "1.2.3.4", port: 70000 }] },
      p2p: { listen: ["/ip4/1.2.3.4/udp/1"], bootstrap: ["not-a-multiaddr", "/dns4/boot.example/tcp/26656/p2p/0OIl"] },
      rpc: { host: "256.1.1.1", port: 65536, corsOrigins: ["ftp://x"], tls: true },
      metrics: { host: "127.0.0.1", port: -1 },
      consensus: { leaderTimeoutMs: 0, notarizationTimeoutMs: 1.5, retryTimeoutMs: "1000", blockIntervalMs: 3_600_001 },
      mempool: { transactionsMax: 0, perSenderMax: 0 },
      log: { level: "trace", format: "xml" },
    });
    const paths = problems.map((p) => p.split(":")[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        "config.genesisFile",
        "config.validatorKeyFile",
        "config.dataDir",
        "config.extra",
        "config.dataPlane.transport",
        "config.dataPlane.host",
        "config.dataPlane.port",
        "config.dataPlane.interface",
        "config.dataPlane.peers[0].port",
        "config.dataPlane.peers[1].port",
        "config.p2p.listen[0]",
        "config.p2p.bootstrap[0]",
        "config.p2p.bootstrap[1]",
        "config.rpc.host",
        "config.rpc.port",
        "config.rpc.corsOrigins[0]",
        "config.rpc.tls",
        "config.metrics.port",
        "config.consensus.leaderTimeoutMs",
        "config.consensus.notarizationTimeoutMs",
        "config.consensus.retryTimeoutMs",
        "config.consensus.blockIntervalMs",
        "config.mempool.transactionsMax",
        "config.mempool.perSenderMax",
        "config.log.level",
        "config.log.format",
      ]),
    );
    expect(problems).toContain("config.extra: unknown field");
    expect(problems).toContain("config.dataPlane.peers[0].port: is required");
    expect(problems).toContain('config.rpc.host: must be an IPv4 address like "127.0.0.1"');
    expect(problems).toContain("config.rpc.port: must be an integer from 1 to 65535");
  });

  it("reports wrong section types, an empty listen list and cross-field conflicts", () => {
    expect(problemsOf([])).toEqual(["config: must be an object"]);
    expect(problemsOf({ rpc: [], log: "info" })).toEqual(["config.rpc: must be an object", "config.log: must be an object"]);
    expect(problemsOf({ p2p: { listen: [] } })).toEqual(["config.p2p.listen: must have at least one multiaddr"]);
    expect(problemsOf({ mempool: { transactionsMax: 10, perSenderMax: 11 } })).toEqual([
      "config.mempool.perSenderMax: must not exceed config.mempool.transactionsMax (10)",
    ]);
    expect(problemsOf({ rpc: { port: 9615 } })).toEqual(["config.metrics.port: conflicts with config.rpc.port (both TCP on 9615)"]);
    expect(() => nodeConfigFromJson({ rpc: { port: 9615 }, metrics: { host: "10.0.0.2", port: 9615 } }, "/h")).not.toThrow();
  });

  it("checks the basic shape of multiaddrs", () => {
    expect(checkMultiaddr("/ip4/10.0.0.1/tcp/26656")).toBeNull();
    expect(checkMultiaddr("/dns4/boot.example.org/tcp/443/wss/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo")).toBeNull();
    expect(checkMultiaddr("/ip6/::1/tcp/1")).toBeNull();
    expect(checkMultiaddr("ip4/1.2.3.4/tcp/1")).toMatch(/start with \//);
    expect(checkMultiaddr("/ip4/1.2.3/tcp/1")).toMatch(/IPv4/);
    expect(checkMultiaddr("/ip4/1.2.3.4/tcp/0")).toMatch(/port/);
    expect(checkMultiaddr("/ip4/1.2.3.4/tcp/1/quic")).toMatch(/may end only/);
    expect(checkMultiaddr("/unix/tmp/sock")).toMatch(/must begin/);
  });

  it("loads <home>/config.json and says how to create a missing one", () => {
    const home = tmp.make();
    expect(() => loadNodeConfig(home)).toThrow(/CONFIG_ERROR_READ.*xdpchain init --home/);
    fs.writeFileSync(path.join(home, "config.json"), "{ nope");
    expect(() => loadNodeConfig(home)).toThrow(expect.objectContaining({ code: "CONFIG_ERROR_JSON" }));
    fs.writeFileSync(path.join(home, "config.json"), JSON.stringify({ rpc: { port: 1 } }));
    expect(loadNodeConfig(home)).toMatchObject({ home, rpc: { port: 1 }, genesisFile: path.join(home, "genesis.json") });
    fs.writeFileSync(path.join(home, "config.json"), JSON.stringify({ rpc: { port: "x" } }));
    expect(() => loadNodeConfig(home)).toThrow(/config\.rpc\.port: must be an integer/);
  });

  it("writes the full file, merges overrides section by section and never writes an invalid config", () => {
    const home = tmp.make();
    const file = writeNodeConfig(home, { rpc: { port: 8600 } });
    expect(file).toBe(path.join(home, "config.json"));
    const stored = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(stored.genesisFile).toBe("genesis.json");
    expect(stored).not.toHaveProperty("home");
    expect(stored.rpc).toEqual({ host: "127.0.0.1", port: 8600, corsOrigins: ["*"] });
    writeNodeConfig(home, { rpc: { host: "0.0.0.0" }, validatorKeyFile: "keys/v.json", metrics: null });
    const c = loadNodeConfig(home);
    expect(c.rpc).toEqual({ host: "0.0.0.0", port: 8600, corsOrigins: ["*"] });
    expect(c.validatorKeyFile).toBe(path.join(home, "keys/v.json"));
    expect(c.metrics).toBeNull();
    const before = fs.readFileSync(file, "utf8");
    expect(() => writeNodeConfig(home, { dataPlane: { port: 0 } })).toThrow(/config\.dataPlane\.port/);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    writeNodeConfig(home, { log: { level: "debug" } }, { fresh: true });
    expect(loadNodeConfig(home)).toMatchObject({ rpc: { port: 8545 }, log: { level: "debug", format: "auto" }, validatorKeyFile: null });
  });
});
