// Property: for any sequence of vote requests, reopenings and log cuts at a record boundary, the guard never
// authorizes two different bodies for one (view, kind), nor nullify and finalize in one view, and every
// authorization it returned before a reopen is still binding after it (a model tracks what was "sent").
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { ZERO_HASH, toHex } from "../../../../consensus/crypto/hash.ts";
import { VoteKind, type VoteBody } from "../../../../consensus/types.ts";
import { SignGuard } from "../../../../node/store/sign-guard.ts";
import { filledHash } from "../../../support/fixtures.ts";
import { makeTempDirs } from "./temp-dir.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

type Step = { op: "vote"; kind: VoteKind; view: number; hash: number } | { op: "reopen" } | { op: "prune"; view: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant("vote" as const), kind: fc.constantFrom(VoteKind.Notarize, VoteKind.Nullify, VoteKind.Finalize), view: fc.integer({ min: 0, max: 6 }), hash: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: "reopen" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("prune" as const), view: fc.integer({ min: 0, max: 4 }) }) },
);

describe("SignGuard property", () => {
  it("never authorizes conflicting votes across reopen and pruning", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const dir = tmp.make();
        let guard = SignGuard.open(dir).guard;
        const sent = new Map<string, string>();
        for (const s of steps) {
          if (s.op === "reopen") {
            guard.close();
            guard = SignGuard.open(dir).guard;
          } else if (s.op === "prune") {
            guard.pruneBelow(s.view);
          } else {
            const body: VoteBody = { kind: s.kind, view: s.view, blockHash: s.kind === VoteKind.Nullify ? ZERO_HASH : filledHash(s.hash) };
            const r = guard.authorize(body);
            const key = `${s.view}:${s.kind}`;
            const other = s.kind === VoteKind.Nullify ? `${s.view}:${VoteKind.Finalize}` : s.kind === VoteKind.Finalize ? `${s.view}:${VoteKind.Nullify}` : null;
            const conflicts = (sent.has(key) && sent.get(key) !== toHex(body.blockHash)) || (other !== null && sent.has(other));
            if (conflicts) expect(r.ok).toBe(false);
            if (r.ok) sent.set(key, toHex(body.blockHash));
            if (!r.ok && !conflicts) expect(r.code).toBe("SIGN_GUARD_ERROR_BELOW_LOW_WATER");
          }
        }
        guard.close();
        tmp.cleanup();
      }),
      { numRuns: 60, seed: 20250101 },
    );
  });
});
