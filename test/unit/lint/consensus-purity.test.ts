// The purity lint must actually bite: impure code placed under consensus/ is flagged, pure code is not.
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath = "consensus/probe.ts"): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}:${m.line}`);
}

describe("consensus/ purity lint", () => {
  it("flags the clock, timers, randomness, I/O, storage and network imports", async () => {
    const ids = await ruleIds(
      [
        'import { readFileSync } from "node:fs";',
        'import { Level } from "level";',
        'import type { PeerId } from "@libp2p/interface";',
        'import os from "os";',
        "export const t = Date.now();",
        "export const r = Math.random();",
        "setTimeout(() => {}, 1);",
        "export const e = process.env;",
        'export const b = Buffer.from("x");',
        "export type P = PeerId; export const f = [readFileSync, Level, os];",
      ].join("\n"),
    );
    for (const line of [1, 2, 3, 4]) expect(ids).toContain(`no-restricted-imports:${line}`);
    for (const line of [5, 7, 8, 9]) expect(ids).toContain(`no-restricted-globals:${line}`);
    expect(ids).toContain("no-restricted-properties:6");
  }, 60_000);

  it("allows the same code outside consensus/", async () => {
    const ids = await ruleIds('import { readFileSync } from "node:fs";\nexport const t = [Date.now(), readFileSync];', "node/probe.ts");
    expect(ids).toEqual([]);
  }, 60_000);

  it("accepts pure code in consensus/", async () => {
    const ids = await ruleIds('import { sha256 } from "./crypto/hash.ts";\nexport const h = sha256(new Uint8Array(1));');
    expect(ids).toEqual([]);
  }, 60_000);
});
