// kill -9 end to end with the real Simplex state machine: a child process runs four validators (machine +
// durable SignGuard + WAL each, simulated network and clock; validator-child.ts). The parent SIGKILLs it at
// random moments, sometimes leaves torn garbage after the last frame of node 0's logs, restarts it on the same
// directories, and checks: node 0 never emitted two different votes for one (view, kind) nor nullify with
// finalize in a view; every emitted vote is on disk; the network finalizes again after the last restart.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toHex } from "../../consensus/crypto/hash.ts";
import { SignGuard } from "../../node/store/sign-guard.ts";
import { WriteAheadLog } from "../../node/store/write-ahead-log.ts";
import { type ChildLine, type ChildRun, doubleVotes, runChild } from "./child-runner.ts";
import { seededRandom } from "./seeded-random.ts";

const KILLS = 8;
const RUNS_MAX = 16;
const KILL_DELAY_MS_MAX = 150;
const SIM_MS_KILLED_RUN = 10_000_000;
const SIM_MS_FINAL_RUN = 300_000;
const FINALIZED_TARGET = 3;
const RUN_DEADLINE_MS = 60_000;
const SEED = Number(process.env.XDPCHAIN_E2E_SEED ?? 11);
const SCRIPT = "test/e2e/validator-child.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-kill-machine-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("kill -9 and restart with the Simplex state machine", () => {
  it(`a validator network restarted from disk after ${KILLS} SIGKILLs never double-votes and finalizes again`, async () => {
    console.log(`kill-restart-machine: seed ${SEED} (XDPCHAIN_E2E_SEED), dir ${dir}`);
    const rand = seededRandom(SEED);
    const all: ChildLine[] = [];
    let kills = 0;
    let run = 0;
    let tornRestarts = 0;
    let expectTorn = false;
    while (kills < KILLS && run < RUNS_MAX) {
      const delay = Math.floor(rand() * KILL_DELAY_MS_MAX);
      const r = await runChild(SCRIPT, [dir, String(run), String(SEED), String(SIM_MS_KILLED_RUN), "1000000000"], delay, RUN_DEADLINE_MS);
      if (!r.killed) expect(r.exitCode, r.stderr).toBe(0);
      if (r.killed) kills++;
      all.push(...r.lines);
      report(r, run, delay);
      if (expectTorn) {
        const open = r.lines.find((l) => l.t === "open");
        expect(open?.wal?.droppedTail, `run ${run} WAL tail`).not.toBeNull();
        expect(open?.guard?.droppedTail, `run ${run} guard tail`).not.toBeNull();
        tornRestarts++;
      }
      expectTorn = run % 3 === 1;
      if (expectTorn) for (const sub of ["wal", "guard"]) appendGarbage(path.join(dir, "node-0", sub), rand);
      run++;
    }
    expect(kills).toBe(KILLS);
    expect(tornRestarts).toBeGreaterThan(0);

    const last = await runChild(SCRIPT, [dir, String(run), String(SEED), String(SIM_MS_FINAL_RUN), String(FINALIZED_TARGET)], null, RUN_DEADLINE_MS);
    report(last, run, null);
    expect(last.exitCode, last.stderr).toBe(0);
    all.push(...last.lines);
    const done = last.lines.find((l) => l.t === "done");
    expect(done?.finalizedAboveResume, "the restarted network finalizes new blocks").toBe(FINALIZED_TARGET);

    const votes = all.filter((l) => l.t === "vote");
    expect(doubleVotes(votes)).toEqual([]);

    const { guard } = SignGuard.open(path.join(dir, "node-0", "guard"));
    const { wal, records } = WriteAheadLog.open(path.join(dir, "node-0", "wal"));
    const walVotes = new Set(records.flatMap((r) => (r.type === "ownVote" ? [`${r.vote.view}:${r.vote.kind}:${toHex(r.vote.blockHash)}`] : [])));
    for (const v of votes) {
      expect(guard.authorizedIn(v.view!).some((b) => b.kind === v.kind && toHex(b.blockHash) === v.hash), JSON.stringify({ v, inGuard: guard.authorizedIn(v.view!).map((b) => [b.kind, toHex(b.blockHash)]) })).toBe(true);
      expect(walVotes.has(`${v.view}:${v.kind}:${v.hash}`), `vote ${JSON.stringify(v)} in the WAL`).toBe(true);
    }
    guard.close();
    wal.close();
    const fromGuard = all.filter((l) => l.t === "open").reduce((n, l) => n + (l.votesFromGuard as number[]).reduce((a, b) => a + b, 0), 0);
    console.log(
      `kill-restart-machine: ${run + 1} runs, ${kills} SIGKILLs, ${tornRestarts} restarts over torn tails, ${votes.length} node-0 votes emitted and found on disk, ${fromGuard} votes recovered from guards missing in WALs`,
    );
  }, 600_000);
});

function appendGarbage(logDir: string, rand: () => number): void {
  const segs = fs.readdirSync(logDir).filter((n) => n.endsWith(".seg")).sort();
  const bytes = Uint8Array.from({ length: 1 + Math.floor(rand() * 40) }, () => Math.floor(rand() * 256));
  fs.appendFileSync(path.join(logDir, segs.at(-1)!), bytes);
}

function report(r: ChildRun, run: number, delay: number | null): void {
  const open = r.lines.find((l) => l.t === "open");
  const votes = r.lines.filter((l) => l.t === "vote").length;
  const finalized = r.lines.filter((l) => l.t === "finalized").length;
  const tails = open ? JSON.stringify({ guard: open.guard?.droppedTail ?? null, wal: open.wal?.droppedTail ?? null }) : "no open line";
  console.log(
    `run ${run}: ${r.killed ? `SIGKILL after first vote + ${delay} ms` : `exit ${r.exitCode}`}, resumed at view ${open?.resumeView}, ${votes} node-0 votes, ${finalized} finalized above resume, dropped tails: ${tails}`,
  );
}
