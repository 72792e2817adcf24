// The logger writes synchronously to its destination: JSON lines with level, time, name, component and message
// are in the file the moment the call returns; pretty output is human text; bad options are coded errors.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type LogLevel, LoggerError, createLogger } from "../../../../node/log/logger.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(name = "node.log"): string {
  const dir = mkdtempSync(join(tmpdir(), "xdpchain-log-"));
  dirs.push(dir);
  return join(dir, "nested", name);
}

function jsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("createLogger", () => {
  it("writes JSON lines with level, time, name, component and message, synchronously", () => {
    const path = tempFile();
    const logger = createLogger({ level: "info", format: "json", name: "xdpchain", destination: path });
    const consensus = logger.child({ component: "consensus" });
    const before = Date.now();
    consensus.info({ view: 7 }, "view entered");
    consensus.debug("not at info level");
    logger.child({ component: "mempool" }).warn("pool full");
    const lines = jsonLines(path); // no flush, no wait: the writes are synchronous
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, name: "xdpchain", component: "consensus", view: 7, msg: "view entered" });
    expect(typeof lines[0]!.time).toBe("number");
    expect(lines[0]!.time as number).toBeGreaterThanOrEqual(before - 1);
    expect(lines[1]).toMatchObject({ level: 40, component: "mempool", msg: "pool full" });
  });

  it("honours the level, down to trace and up to silent", () => {
    const levels: LogLevel[] = ["trace", "error", "silent"];
    const counts = levels.map((level) => {
      const path = tempFile(`${level}.log`);
      const logger = createLogger({ level, format: "json", name: "x", destination: path });
      logger.trace("t");
      logger.info("i");
      logger.error("e");
      logger.fatal("f");
      return jsonLines(path).length;
    });
    expect(counts).toEqual([4, 2, 0]);
  });

  it("writes JSON for auto format when the destination is a file", () => {
    const path = tempFile();
    createLogger({ level: "info", format: "auto", name: "x", destination: path }).info("hello");
    expect(jsonLines(path)[0]).toMatchObject({ msg: "hello" });
  });

  it("writes human lines for pretty format", () => {
    const path = tempFile();
    createLogger({ level: "info", format: "pretty", name: "xdpchain", destination: path }).child({ component: "net" }).info("transport up");
    const text = readFileSync(path, "utf8");
    expect(text).toContain("INFO");
    expect(text).toContain("transport up");
    expect(text).toContain("net");
    expect(() => JSON.parse(text)).toThrow();
  });

  it("refuses unknown levels and formats with coded errors", () => {
    const path = tempFile();
    expect(() => createLogger({ level: "loud" as LogLevel, format: "json", name: "x", destination: path })).toThrow(LoggerError);
    try {
      createLogger({ level: "info", format: "xml" as "json", name: "x", destination: path });
      expect.unreachable();
    } catch (err) {
      expect((err as LoggerError).code).toBe("LOG_ERROR_INVALID_FORMAT");
    }
  });
});
