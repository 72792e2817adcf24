// Flag parsing of `npm run sim`: defaults, every flag, and clear errors that name the bad flag.

import { describe, expect, it } from "vitest";
import { CliError, parseArgs } from "./cli-args.ts";

describe("sim CLI flags", () => {
  it("parses every flag", () => {
    const o = parseArgs(["--seeds", "5", "--seed-base", "9", "--nodes", "7", "--byzantine", "2", "--faults", "drop,partition,crash", "--crypto", "ed25519", "--app", "synthetic", "--fault-ms", "30000", "--quiet-ms", "20000", "--quiet"]);
    expect(o).toEqual({ seeds: 5, seedBase: 9, nodes: 7, byzantine: 2, faults: ["drop", "partition", "crash"], crypto: "ed25519", app: "synthetic", faultMs: 30000, quietMs: 20000, quiet: true });
  });

  it.each([
    [["--byzantine", "2", "--nodes", "6"], /--byzantine 2 must be below a third of --nodes 6 \(at most 1\)/],
    [["--nodes", "3"], /--nodes must be an integer in \[4, 16\]/],
    [["--nodes", "17"], /--nodes must be an integer in \[4, 16\]/],
    [["--seeds", "x"], /--seeds must be an integer/],
    [["--faults", "drop,flood"], /unknown fault "flood"/],
    [["--crypto", "rsa"], /--crypto must be fake or ed25519/],
    [["--frobnicate"], /unknown flag "--frobnicate"/],
    [["--seeds"], /--seeds needs a value/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(CliError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
