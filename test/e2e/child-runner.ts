// Runs one e2e child process (node --import tsx <script> ...args) and collects its JSON stdout lines. Optionally
// SIGKILLs it a given delay after its first "vote" line. Lines are written with one synchronous write each and
// are shorter than PIPE_BUF, so a kill never leaves half a line.

import { spawn } from "node:child_process";
import * as path from "node:path";

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

export interface ChildLine {
  t: "open" | "vote" | "refused" | "finalized" | "done";
  run: number;
  kind?: number;
  view?: number;
  hash?: string;
  code?: string;
  guard?: { droppedTail: { bytes: number } | null };
  wal?: { droppedTail: { bytes: number } | null; records?: number };
  walVotesMissingFromGuard?: number;
  [k: string]: unknown;
}

export interface ChildRun {
  lines: ChildLine[];
  killed: boolean;
  exitCode: number | null;
  stderr: string;
}

export function runChild(script: string, args: string[], killDelayMs: number | null, deadlineMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, script), ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines: ChildLine[] = [];
    let buffered = "";
    let stderr = "";
    let killed = false;
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} ${args.join(" ")} did not finish within ${deadlineMs} ms; stderr: ${stderr}`));
    }, deadlineMs);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = JSON.parse(buffered.slice(0, nl)) as ChildLine;
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        if (line.t === "vote" && killDelayMs !== null && !killTimer) {
          killTimer = setTimeout(() => {
            killed = child.kill("SIGKILL");
          }, killDelayMs);
        }
      }
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code, signal) => {
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      resolve({ lines, killed: killed && signal === "SIGKILL", exitCode: code, stderr });
    });
  });
}

/** Every pair of emitted votes that breaks Simplex's rule for one signer: returns the descriptions (empty when none). */
export function doubleVotes(votes: readonly ChildLine[]): string[] {
  const problems: string[] = [];
  const byViewKind = new Map<string, string>();
  const kindsByView = new Map<number, Set<number>>();
  for (const v of votes) {
    const key = `${v.view}:${v.kind}`;
    const prev = byViewKind.get(key);
    if (prev !== undefined && prev !== v.hash) problems.push(`view ${v.view} kind ${v.kind}: ${prev} and ${v.hash} (run ${v.run})`);
    byViewKind.set(key, v.hash!);
    const kinds = kindsByView.get(v.view!) ?? new Set<number>();
    kinds.add(v.kind!);
    kindsByView.set(v.view!, kinds);
  }
  for (const [view, kinds] of kindsByView) if (kinds.has(2) && kinds.has(3)) problems.push(`view ${view}: nullify and finalize`);
  return problems;
}
