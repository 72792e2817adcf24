// The order a block builder should try pending transactions in: across senders by fee priority (effective tip,
// then arrival), within a sender by nonce, never nonce n+1 before n. Walks the pool's head heap without
// changing it: a frontier heap holds heap nodes not yet taken and each taken sender's next nonce, so k results
// cost O(k log k) whatever the pool's size. Does not check state: the pool keeps its queues executable.

import { BinaryHeap } from "./binary-heap.ts";
import { type PoolEntry, type SenderQueue, paysBefore } from "./sender-queue.ts";

interface Frontier {
  entry: PoolEntry;
  sender: SenderQueue;
  /** Position of `entry` in its sender's queue. */
  position: number;
  /** Index in the head heap when this is a sender's first transaction (its children join on pop); else -1. */
  heapNode: number;
}

const frontierBefore = (a: Frontier, b: Frontier): boolean => paysBefore(a.entry, b.entry);

function headNode(heads: BinaryHeap<SenderQueue>, index: number): Frontier | undefined {
  const sender = heads.at(index);
  const entry = sender?.head;
  return sender === undefined || entry === undefined ? undefined : { entry, sender, position: 0, heapNode: index };
}

/** Up to `max` pending transactions in an order safe to apply one after another. */
export function orderCandidates(heads: BinaryHeap<SenderQueue>, max: number): PoolEntry[] {
  const out: PoolEntry[] = [];
  if (!(max > 0)) return out;
  const frontier = new BinaryHeap<Frontier>(frontierBefore);
  const root = headNode(heads, 0);
  if (root !== undefined) frontier.push(root);
  while (out.length < max) {
    const next = frontier.pop();
    if (next === undefined) break;
    out.push(next.entry);
    if (next.heapNode >= 0) {
      for (const child of [2 * next.heapNode + 1, 2 * next.heapNode + 2]) {
        const node = headNode(heads, child);
        if (node !== undefined) frontier.push(node);
      }
    }
    const position = next.position + 1;
    const entry = next.sender.entries[position];
    if (entry !== undefined) frontier.push({ entry, sender: next.sender, position, heapNode: -1 });
  }
  return out;
}
