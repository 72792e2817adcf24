// The config's `lane` section: its defaults, field by field, the range of deltaMs and the lane port, unknown
// fields, and the lane port refused when it is the data plane's (both are UDP on the data plane's host).
import * as fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../../node/config/config-error.ts";
import { NODE_CONFIG_DEFAULTS } from "../../../../node/config/node-config-schema.ts";
import { configFilePath, loadNodeConfig, nodeConfigFromJson, writeNodeConfig } from "../../../../node/config/node-config.ts";
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

const DELTA = "config.lane.deltaMs: must be an integer from 5 to 10000";
const PORT = "config.lane.port: must be an integer from 1 to 65535";

describe("node config: lane", () => {
  it("defaults to port 9400 and Δ = 50 ms, filling missing fields one by one", () => {
    expect(NODE_CONFIG_DEFAULTS.lane).toEqual({ port: 9400, deltaMs: 50 });
    expect(nodeConfigFromJson({}, "/h").lane).toEqual({ port: 9400, deltaMs: 50 });
    expect(nodeConfigFromJson({ lane: {} }, "/h").lane).toEqual({ port: 9400, deltaMs: 50 });
    expect(nodeConfigFromJson({ lane: { port: 9500 } }, "/h").lane).toEqual({ port: 9500, deltaMs: 50 });
    expect(nodeConfigFromJson({ lane: { deltaMs: 20 } }, "/h").lane).toEqual({ port: 9400, deltaMs: 20 });
  });

  it("takes deltaMs from 5 to 10000 and refuses anything else with the field's path", () => {
    expect(nodeConfigFromJson({ lane: { deltaMs: 5 } }, "/h").lane.deltaMs).toBe(5);
    expect(nodeConfigFromJson({ lane: { deltaMs: 10_000 } }, "/h").lane.deltaMs).toBe(10_000);
    for (const bad of [0, 4, 10_001, -50, 50.5, "50", null, Number.NaN]) expect(problemsOf({ lane: { deltaMs: bad } })).toEqual([DELTA]);
  });

  it("refuses a lane port outside 1..65535, unknown fields and a section that is not an object", () => {
    for (const bad of [0, 65_536, 9400.5, "9400"]) expect(problemsOf({ lane: { port: bad } })).toEqual([PORT]);
    expect(problemsOf({ lane: { port: 9401, host: "127.0.0.1" } })).toEqual(["config.lane.host: unknown field"]);
    expect(problemsOf({ lane: "udp" })).toEqual(["config.lane: must be an object"]);
    expect(problemsOf({ lane: null })).toEqual(["config.lane: must be an object"]);
    // Both of the section's fields at once, beside another section's problem: one pass reports all of them.
    expect(problemsOf({ lane: { port: 0, deltaMs: 1 }, rpc: { port: 0 } })).toEqual(["config.rpc.port: must be an integer from 1 to 65535", PORT, DELTA]);
  });

  it("refuses a lane port equal to the data plane's, naming the lane's field", () => {
    const conflict = (port: number) => `config.lane.port: conflicts with config.dataPlane.port (both UDP on ${port})`;
    expect(problemsOf({ lane: { port: 9000 } })).toEqual([conflict(9000)]); // the data plane's default port
    expect(problemsOf({ dataPlane: { port: 9400 } })).toEqual([conflict(9400)]); // the lane's default port
    expect(problemsOf({ dataPlane: { port: 7000 }, lane: { port: 7000, deltaMs: 20 } })).toEqual([conflict(7000)]);
    expect(nodeConfigFromJson({ dataPlane: { port: 7000 }, lane: { port: 7001 } }, "/h")).toMatchObject({ dataPlane: { port: 7000 }, lane: { port: 7001, deltaMs: 50 } });
    // No conflict is reported against a data plane section that is itself invalid.
    expect(problemsOf({ dataPlane: { port: 9400, transport: "tcp" } })).toEqual(['config.dataPlane.transport: must be one of "auto", "xdp", "udp"']);
  });

  it("writes lane overrides after validating them, and leaves the file alone when they conflict", () => {
    const home = tmp.make();
    writeNodeConfig(home, { lane: { deltaMs: 25 } });
    expect(loadNodeConfig(home).lane).toEqual({ port: 9400, deltaMs: 25 });
    const before = fs.readFileSync(configFilePath(home), "utf8");
    expect(() => writeNodeConfig(home, { lane: { port: 9000 } })).toThrowError(/config\.lane\.port: conflicts with config\.dataPlane\.port/);
    expect(fs.readFileSync(configFilePath(home), "utf8")).toBe(before);
    writeNodeConfig(home, { lane: { port: 9401 } });
    expect(loadNodeConfig(home).lane).toEqual({ port: 9401, deltaMs: 25 });
  });
});
