// Helpers for store tests: temporary directories (test/support/temp-dirs.ts) and the segment files in one.
import * as fs from "node:fs";
import * as path from "node:path";
import { makeTempDirs as makeDirs } from "../../../support/temp-dirs.ts";

export const makeTempDirs = (): ReturnType<typeof makeDirs> => makeDirs("xdpchain-store-");

/** Names of the segment files in `dir`, sorted. */
export function segmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".seg"))
    .sort()
    .map((n) => path.join(dir, n));
}
