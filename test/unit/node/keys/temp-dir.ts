// Temporary directories for key and config tests: one per call, removed by cleanup() in afterEach.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function makeTempDirs(): { make(): string; cleanup(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-keys-"));
      dirs.push(d);
      return d;
    },
    cleanup() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
