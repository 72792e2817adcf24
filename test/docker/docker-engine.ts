// For the docker tests (root): installs docker.io, docker-compose and debootstrap when missing, starts a private
// dockerd (`--iptables=false --bridge=none`, its own socket, exec root and pid file; images and layers cached in
// /var/lib/docker) and stops it again, and runs docker / docker-compose with bounded time. Not a Docker client
// library: every call shells out and returns stdout or throws with the command's stderr.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const RUN_DIR = "/run/xdpchain-docker-test";
const SOCKET = `unix://${RUN_DIR}/docker.sock`;
const PACKAGES = { docker: "docker.io", dockerd: "docker.io", "docker-compose": "docker-compose", debootstrap: "debootstrap" } as const;

/** Why the docker tests cannot run here, or null. Docker needs root (dockerd, debootstrap, capabilities). */
export function dockerSkipReason(): string | null {
  if (process.platform !== "linux") return "docker tests run on Linux only";
  if (process.getuid?.() !== 0) return "not root (the docker test starts its own dockerd and builds a base image with debootstrap)";
  return null;
}

async function has(cmd: string): Promise<boolean> {
  try {
    await run("sh", ["-c", `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}

/** Installs whatever of docker.io, docker-compose and debootstrap is missing, through apt-get. */
export async function ensureDockerTools(log: (line: string) => void): Promise<void> {
  const missing = [...new Set((await Promise.all(Object.entries(PACKAGES).map(async ([cmd, pkg]) => ((await has(cmd)) ? null : pkg)))).filter((p) => p !== null))];
  if (missing.length === 0) return;
  log(`docker: installing ${missing.join(", ")} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update", "-q"], { env, timeout: 180_000, maxBuffer: 1 << 26 });
  await run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env, timeout: 420_000, maxBuffer: 1 << 26 });
}

export class DockerEngine {
  private constructor(
    private readonly daemon: ChildProcess | null,
    readonly logFile: string,
  ) {}

  readonly env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: SOCKET, COMPOSE_INTERACTIVE_NO_CLI: "1" };

  /** Starts dockerd on a socket of its own (or reuses one already answering there) and waits until it answers. */
  static async start(log: (line: string) => void, timeoutMs = 60_000): Promise<DockerEngine> {
    fs.mkdirSync(RUN_DIR, { recursive: true });
    const logFile = path.join(RUN_DIR, "dockerd.log");
    const probe = new DockerEngine(null, logFile);
    if (await probe.answers()) {
      log(`docker: reusing the dockerd already answering on ${SOCKET} (it is left running)`);
      return probe;
    }
    const out = fs.openSync(logFile, "w");
    const daemon = spawn(
      "dockerd",
      ["--iptables=false", "--bridge=none", `--host=${SOCKET}`, `--exec-root=${RUN_DIR}/exec`, `--pidfile=${RUN_DIR}/dockerd.pid`, "--data-root=/var/lib/docker"],
      { stdio: ["ignore", out, out] },
    );
    fs.closeSync(out);
    const engine = new DockerEngine(daemon, logFile);
    const deadline = Date.now() + timeoutMs;
    while (!(await engine.answers())) {
      if (daemon.exitCode !== null || Date.now() > deadline) {
        await engine.stop();
        const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
        throw new Error(`dockerd did not come up (exit ${daemon.exitCode ?? "none"}):\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    log(`docker: started dockerd (pid ${daemon.pid}) on ${SOCKET}, server ${(await engine.docker(["version", "--format", "{{.Server.Version}}"])).trim()}`);
    return engine;
  }

  private async answers(): Promise<boolean> {
    try {
      await run("docker", ["version", "--format", "{{.Server.Version}}"], { env: this.env, timeout: 5_000 });
      return true;
    } catch {
      return false;
    }
  }

  async docker(args: string[], timeoutMs = 60_000): Promise<string> {
    return this.exec("docker", args, timeoutMs);
  }

  async compose(project: string, file: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<string> {
    return this.exec("docker-compose", ["-p", project, "-f", file, ...args], timeoutMs, env);
  }

  async exec(cmd: string, args: string[], timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<string> {
    try {
      const { stdout } = await run(cmd, args, { env: { ...this.env, ...extraEnv }, timeout: timeoutMs, maxBuffer: 1 << 26 });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      const detail = (e.stderr || e.stdout || e.message).trim().split("\n").slice(-20).join("\n");
      throw new Error(`${cmd} ${args.join(" ")} failed:\n${detail}`);
    }
  }

  /** Stops the dockerd this started (SIGTERM, then SIGKILL after 20 s); leaves a reused one alone. */
  async stop(): Promise<void> {
    const d = this.daemon;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => d.once("exit", () => resolve()));
    d.kill("SIGTERM");
    const timer = setTimeout(() => d.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
    // dockerd leaves its namespace bind mount behind; remove it and the run directory.
    const netnsMount = path.join(RUN_DIR, "exec", "netns", "default");
    if (fs.existsSync(netnsMount)) await run("umount", ["-l", netnsMount]).catch(() => undefined);
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
  }
}
