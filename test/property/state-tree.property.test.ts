// The state tree against a plain Map model: after any sequence of batched puts and deletes, lookups agree with
// the model, the root equals that of a tree built from scratch from the model, and every key's proof (present
// or absent) verifies against the root while a wrong value's does not.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../../consensus/crypto/hash.ts";
import { verifyStateProof } from "../../consensus/state/state-proof.ts";
import { WorldState } from "../../consensus/state/world-state.ts";

const KEYS = 40;
const keyOf = (i: number) => Uint8Array.of(0x01, i);
const batch = fc.array(fc.record({ key: fc.integer({ min: 0, max: KEYS - 1 }), value: fc.option(fc.uint8Array({ minLength: 1, maxLength: 8 }), { nil: null }) }), { maxLength: 12 });

describe("state tree model", () => {
  it("agrees with a Map after random batches", () => {
    fc.assert(
      fc.property(fc.array(batch, { maxLength: 8 }), (batches) => {
        let state = WorldState.EMPTY;
        const model = new Map<number, Uint8Array>();
        for (const b of batches) {
          const last = new Map<number, Uint8Array | null>();
          for (const w of b) last.set(w.key, w.value); // one write per key per batch, the last wins
          state = state.apply([...last].map(([k, v]) => ({ key: keyOf(k), value: v })));
          for (const [k, v] of last) {
            if (v === null) model.delete(k);
            else model.set(k, v);
          }
        }
        const fresh = WorldState.fromEntries([...model].map(([k, v]) => [keyOf(k), v] as [Uint8Array, Uint8Array]));
        expect(toHex(state.stateRoot)).toBe(toHex(fresh.stateRoot));
        for (let k = 0; k < KEYS; k++) {
          const v = model.get(k) ?? null;
          expect(state.get(keyOf(k)) ?? null).toEqual(v);
          const proof = state.prove(keyOf(k));
          expect(verifyStateProof(state.stateRoot, keyOf(k), v, proof)).toBe(true);
          expect(verifyStateProof(state.stateRoot, keyOf(k), v === null ? Uint8Array.of(0xee) : null, proof)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });
});
