// Receipts of finalized blocks by height, and where each finalized transaction sits (height, index), so
// JSON-RPC answers eth_getTransactionReceipt / eth_getTransactionByHash from disk. Written by the node right
// after BlockStore.saveFinalized; a crash in between is repaired by re-executing the block on restart.

import { decodeReceipt, encodeReceipt, type Receipt } from "../../consensus/execution/receipt.ts";
import type { Hash } from "../../consensus/types.ts";
import { KeyPrefix, heightKey, prefixedKey } from "./key-prefix.ts";
import type { KvOp, KvStore } from "./kv-store.ts";
import { StoreError } from "./store-errors.ts";

export interface TransactionLocation {
  height: number;
  index: number;
}

export class ReceiptStore {
  constructor(private readonly kv: KvStore) {}

  /** Receipts of the block at `height` and the location of each of its transactions, in one batch. */
  async saveReceipts(height: number, receipts: readonly Receipt[], sync = false): Promise<void> {
    const ops: KvOp[] = [{ type: "put", key: heightKey(KeyPrefix.ReceiptsByHeight, height), value: encodeReceiptList(receipts) }];
    receipts.forEach((r, index) => {
      const loc = new Uint8Array(12);
      const view = new DataView(loc.buffer);
      view.setBigUint64(0, BigInt(height));
      view.setUint32(8, index);
      ops.push({ type: "put", key: prefixedKey(KeyPrefix.TransactionLocation, r.transactionHash), value: loc });
    });
    await this.kv.write(ops, { sync });
  }

  async loadReceipts(height: number): Promise<Receipt[] | undefined> {
    const bytes = await this.kv.get(heightKey(KeyPrefix.ReceiptsByHeight, height));
    return bytes ? decodeReceiptList(bytes, height) : undefined;
  }

  async loadLocation(txHash: Hash): Promise<TransactionLocation | undefined> {
    const bytes = await this.kv.get(prefixedKey(KeyPrefix.TransactionLocation, txHash));
    if (!bytes) return undefined;
    if (bytes.length !== 12) throw new StoreError("STORE_ERROR_CORRUPTED", `transaction location has ${bytes.length} bytes`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 12);
    return { height: Number(view.getBigUint64(0)), index: view.getUint32(8) };
  }
}

function encodeReceiptList(receipts: readonly Receipt[]): Uint8Array {
  const parts = receipts.map(encodeReceipt);
  const out = new Uint8Array(4 + parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, parts.length);
  let at = 4;
  for (const p of parts) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

function decodeReceiptList(bytes: Uint8Array, height: number): Receipt[] {
  const bad = (why: string) => new StoreError("STORE_ERROR_CORRUPTED", `receipts at height ${height}: ${why}`);
  if (bytes.length < 4) throw bad("truncated");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0);
  const out: Receipt[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) throw bad("truncated");
    const len = view.getUint32(at);
    if (at + 4 + len > bytes.length) throw bad("truncated");
    const decoded = decodeReceipt(bytes.subarray(at + 4, at + 4 + len));
    if (!decoded.ok) throw bad(decoded.detail);
    out.push(decoded.value);
    at += 4 + len;
  }
  if (at !== bytes.length) throw bad("trailing bytes");
  return out;
}
