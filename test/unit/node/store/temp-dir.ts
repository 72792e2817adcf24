// Temporary directories for store tests: one per test, removed afterwards (vitest hooks call cleanup).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function makeTempDirs(): { make(): string; cleanup(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-store-"));
      dirs.push(d);
      return d;
    },
    cleanup() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Names of the segment files in `dir`, sorted. */
export function segmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".seg"))
    .sort()
    .map((n) => path.join(dir, n));
}
