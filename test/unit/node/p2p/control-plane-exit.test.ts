// stop() leaves no handles: a child process runs a session (exit-scenario.ts) and must exit by itself, soon
// after stopping, with the request that was in flight failed rather than left hanging.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const scenario = fileURLToPath(new URL("./exit-scenario.ts", import.meta.url));

function run(): Promise<{ code: number | null; stdout: string; stderr: string; exitedAfterStopMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", scenario], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let stoppedAt = 0;
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child did not exit by itself; stdout: ${stdout} stderr: ${stderr}`));
    }, 18_000);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stoppedAt === 0 && stdout.includes('"stopped"')) stoppedAt = Date.now();
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, exitedAfterStopMs: Date.now() - stoppedAt });
    });
  });
}

describe("ControlPlane.stop()", () => {
  it("lets the process exit by itself, promptly, failing the request in flight", async () => {
    const result = await run();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const line = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { stopMs: number; inFlight: string };
    expect(line.inFlight).toMatch(/^P2P_ERROR_(STOPPED|TIMEOUT|STREAM|BAD_RESPONSE)$/);
    expect(line.stopMs).toBeLessThan(3000);
    expect(result.exitedAfterStopMs).toBeLessThan(2000);
  }, 20_000);
});
