// The binary heap under random pushes, pops, updates and removals, and the candidate walk against a plain
// greedy reference (repeatedly take the best-paying sender head): same order, any prefix length.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryHeap } from "../../../../node/mempool/binary-heap.ts";
import { orderCandidates } from "../../../../node/mempool/candidate-order.ts";
import { type PoolEntry, SenderQueue, paysBefore } from "../../../../node/mempool/sender-queue.ts";

interface Item {
  key: number;
  index: number;
}

describe("BinaryHeap", () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant("push" as const), key: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ kind: fc.constant("pop" as const) }),
    fc.record({ kind: fc.constant("update" as const), pick: fc.nat(), key: fc.integer({ min: 0, max: 50 }) }),
    fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
  );

  it("pops in key order through updates and removals, and keeps each element's index", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new BinaryHeap<Item>((a, b) => a.key < b.key, (item, i) => (item.index = i));
        const live: Item[] = [];
        for (const o of ops) {
          if (o.kind === "push") {
            const item = { key: o.key, index: -1 };
            heap.push(item);
            live.push(item);
          } else if (o.kind === "pop") {
            const top = heap.pop();
            const min = live.reduce<Item | undefined>((m, x) => (m === undefined || x.key < m.key ? x : m), undefined);
            expect(top?.key).toBe(min?.key);
            if (top) live.splice(live.indexOf(top), 1);
          } else if (live.length > 0) {
            const item = live[o.pick % live.length]!;
            expect(heap.at(item.index)).toBe(item);
            if (o.kind === "update") {
              item.key = o.key;
              heap.update(item.index);
            } else {
              heap.removeAt(item.index);
              live.splice(live.indexOf(item), 1);
            }
          }
          expect(heap.length).toBe(live.length);
          for (const x of live) expect(heap.at(x.index)).toBe(x);
        }
      }),
      { numRuns: 200 },
    );
  });
});

function entry(tip: number, seq: number, nonce: number): PoolEntry {
  const none = new Uint8Array(0);
  return { raw: none, hash: none, key: `${seq}`, from: none, nonce: BigInt(nonce), tipCapPerGas: 0n, feeCapPerGas: 0n, tipPerGas: BigInt(tip), cost: 0n, seq };
}

/** The obvious O(n) per step definition of the order. */
function greedy(queues: SenderQueue[]): PoolEntry[] {
  const pos = queues.map(() => 0);
  const out: PoolEntry[] = [];
  for (;;) {
    let best = -1;
    queues.forEach((q, i) => {
      const e = q.entries[pos[i]!];
      if (e !== undefined && (best < 0 || paysBefore(e, queues[best]!.entries[pos[best]!]!))) best = i;
    });
    if (best < 0) return out;
    out.push(queues[best]!.entries[pos[best]!]!);
    pos[best]!++;
  }
}

describe("orderCandidates", () => {
  const senderTips = fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 }), { maxLength: 12 });

  it("matches the greedy best-head order for every prefix, nonces ascending per sender", () => {
    fc.assert(
      fc.property(senderTips, fc.nat({ max: 80 }), (tips, max) => {
        let seq = 0;
        const heads = new BinaryHeap<SenderQueue>((a, b) => paysBefore(a.head!, b.head!), (s, i) => (s.headHeapIndex = i));
        const queues = tips.map((list, i) => {
          const q = new SenderQueue(Uint8Array.of(i), `${i}`);
          list.forEach((tip, nonce) => q.append(entry(tip, seq++, nonce)));
          heads.push(q);
          return q;
        });
        const expected = greedy(queues);
        const got = orderCandidates(heads, max);
        expect(got).toEqual(expected.slice(0, max));
        expect(orderCandidates(heads, expected.length + 5)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
