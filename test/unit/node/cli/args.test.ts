// The strict argument parser: typed values and defaults, positionals, every kind of usage error, generated help,
// and the exit codes runCommand maps errors to.
import { afterEach, describe, expect, it, vi } from "vitest";
import { XdpchainError } from "../../../../consensus/errors.ts";
import { formatHelp, parseArgs, runCommand, UsageError, type CommandSpec } from "../../../../node/cli/args.ts";

const SPEC = {
  command: "xdpchain demo",
  summary: "a demo command",
  flags: {
    home: { type: "string", description: "home", valueName: "DIR", required: true },
    port: { type: "number", description: "port", integer: true, min: 1, max: 65535, default: 8545 },
    ratio: { type: "number", description: "ratio" },
    force: { type: "boolean", description: "force" },
    peer: { type: "repeatable", description: "peer", valueName: "HOST:PORT" },
    mode: { type: "string", description: "mode", choices: ["a", "b"] },
  },
  positionals: [
    { name: "FILE", description: "input", required: true },
    { name: "EXTRA", description: "optional" },
  ],
  epilog: "Example: xdpchain demo --home h f",
} as const satisfies CommandSpec;

function usage(argv: string[]): string {
  try {
    parseArgs(SPEC, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe("CLI_ERROR_USAGE");
    return (err as UsageError).detail;
  }
  throw new Error("parsed without error");
}

afterEach(() => vi.restoreAllMocks());

describe("parseArgs", () => {
  it("parses typed values, defaults and positionals", () => {
    const r = parseArgs(SPEC, ["f.json", "--home", "/h", "--port=9000", "--force", "--peer", "a:1", "--peer=b:2", "--ratio", "-0.5", "x"]);
    if (r.help) throw new Error("help");
    expect(r.flags).toEqual({ home: "/h", port: 9000, ratio: -0.5, force: true, peer: ["a:1", "b:2"] });
    expect(r.positionals).toEqual(["f.json", "x"]);
    const d = parseArgs(SPEC, ["--home", "/h", "f", "--force=false"]);
    if (d.help) throw new Error("help");
    expect(d.flags).toEqual({ home: "/h", port: 8545, force: false, peer: [] });
    expect(d.flags.mode).toBeUndefined();
  });

  it("treats everything after -- as positional", () => {
    const r = parseArgs(SPEC, ["--home", "h", "--", "--force"]);
    if (r.help) throw new Error("help");
    expect(r.positionals).toEqual(["--force"]);
    expect(r.flags.force).toBe(false);
  });

  it("reports unknown flags (with a suggestion), missing values and bad values", () => {
    expect(usage(["--hom", "x", "f"])).toBe("unknown flag --hom (did you mean --home?)");
    expect(usage(["--zzzzzz", "f"])).toBe("unknown flag --zzzzzz");
    expect(usage(["-x", "f"])).toBe("unknown flag -x");
    expect(usage(["f", "--home"])).toBe("--home needs a value (DIR)");
    expect(usage(["f", "--home", "--force"])).toBe("--home needs a value (DIR)");
    expect(usage(["f", "--home", "h", "--port", "80a"])).toBe("--port must be a number, got '80a'");
    expect(usage(["f", "--home", "h", "--port", "1.5"])).toBe("--port must be an integer, got '1.5'");
    expect(usage(["f", "--home", "h", "--port", "0"])).toBe("--port must be at least 1, got '0'");
    expect(usage(["f", "--home", "h", "--port", "70000"])).toBe("--port must be at most 65535, got '70000'");
    expect(usage(["f", "--home", "h", "--mode", "c"])).toBe("--mode must be one of a, b, got 'c'");
    expect(usage(["f", "--home="])).toBe("--home must not be empty, got ''");
    expect(usage(["f", "--home", "h", "--force=yes"])).toBe("--force takes no value (or =true / =false), got 'yes'");
    expect(usage(["f", "--home", "a", "--home", "b"])).toBe("--home given more than once");
  });

  it("reports missing required flags and positionals and extra arguments", () => {
    expect(usage(["f"])).toBe("--home is required");
    expect(usage(["--home", "h"])).toBe("missing FILE");
    expect(usage(["--home", "h", "a", "b", "c"])).toBe("unexpected argument 'c'");
  });

  it("answers --help or -h anywhere with generated help instead of errors", () => {
    const r = parseArgs(SPEC, ["--bogus", "--port", "x", "--help"]);
    expect(r.help).toBe(true);
    expect(parseArgs(SPEC, ["-h"]).help).toBe(true);
    expect(parseArgs(SPEC, ["--home", "h", "f", "--", "--help"]).help).toBe(false);
    const text = formatHelp(SPEC);
    expect(text).toContain("usage: xdpchain demo --home DIR FILE [EXTRA] [options]");
    expect(text).toContain("a demo command");
    expect(text).toMatch(/--port VALUE\s+port \(default: 8545\)/);
    expect(text).toMatch(/--peer HOST:PORT\s+peer \(repeatable\)/);
    expect(text).toMatch(/--mode VALUE\s+mode \(one of: a, b\)/);
    expect(text).toMatch(/--home DIR\s+home \(required\)/);
    expect(text).toContain("-h, --help");
    expect(text).toContain("Example: xdpchain demo --home h f");
  });
});

describe("runCommand", () => {
  it("maps usage errors to 2, coded and system errors to 1, with one line on stderr", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runCommand("xdpchain demo", () => parseArgs(SPEC, ["--nope"]) && 0)).toBe(2);
    expect(err).toHaveBeenLastCalledWith("xdpchain demo: unknown flag --nope (see 'xdpchain demo --help')");
    expect(await runCommand("xdpchain demo", () => Promise.reject(new XdpchainError("DEMO_ERROR_X", "it broke")))).toBe(1);
    expect(err).toHaveBeenLastCalledWith("xdpchain demo: DEMO_ERROR_X: it broke");
    const sys = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: "EACCES" });
    expect(await runCommand("xdpchain demo", () => Promise.reject(sys))).toBe(1);
    expect(await runCommand("xdpchain demo", () => 0)).toBe(0);
    await expect(runCommand("xdpchain demo", () => Promise.reject(new TypeError("bug")))).rejects.toThrow("bug");
  });
});
