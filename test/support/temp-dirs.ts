// Temporary directories for tests: make() creates one under the OS temp dir, cleanup() (called from afterEach)
// removes every one made since the last cleanup.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export function makeTempDirs(prefix = "xdpchain-test-"): { make(): string; cleanup(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    cleanup() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
