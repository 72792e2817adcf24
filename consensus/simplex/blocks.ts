// Blocks the machine holds until they finalize: received proposals and fetched ancestors. A block is usable
// (as a parent, or to finalize) once the application has verified it, which needs its parent verified first,
// so verification requests go out in chain order. Missing blocks are fetched (bounded); fetched blocks are kept
// only if asked for.

import { blockHash } from "../codec/block-codec.ts";
import { bytesEqual } from "../crypto/hash.ts";
import type { Verdict } from "../errors.ts";
import type { Block, Hash } from "../types.ts";
import type { Ctx } from "./context.ts";
import { hashKey, type BlockEntry } from "./state.ts";
import type { SimplexVerdictCode } from "./types.ts";

export type Readiness = "valid" | "pending" | "invalid";

/** Adds a block (hash already computed) unless full; returns its entry. */
export function storeBlock(ctx: Ctx, block: Block, hash: Hash): BlockEntry | null {
  const key = hashKey(hash);
  const existing = ctx.state.blocks.get(key);
  if (existing) return existing;
  if (ctx.state.blocks.size >= ctx.config.blocksMax) return null;
  const entry: BlockEntry = { block, hash, status: "received" };
  ctx.state.blocks.set(key, entry);
  return entry;
}

export function requestFetch(ctx: Ctx, hash: Hash): void {
  const key = hashKey(hash);
  if (ctx.state.fetching.has(key) || ctx.state.fetching.size >= ctx.config.fetchesMax) return;
  ctx.state.fetching.add(key);
  ctx.out.push({ type: "fetchBlock", hash });
}

/**
 * Whether the block `hash` is verified, walking back to the anchor: fetches what is missing and requests
 * verification of the lowest unverified block. Depth is bounded by the blocks held.
 */
export function ensureVerified(ctx: Ctx, hash: Hash): Readiness {
  const { state } = ctx;
  const chain: BlockEntry[] = [];
  let key = hashKey(hash);
  for (let steps = 0; steps <= ctx.config.blocksMax; steps++) {
    if (key === hashKey(state.anchor.hash)) break;
    const entry = state.blocks.get(key);
    if (!entry) {
      requestFetch(ctx, chain.length === 0 ? hash : chain[chain.length - 1]!.block.header.parentHash);
      return "pending";
    }
    if (entry.status === "valid") break;
    if (entry.status === "invalid") return "invalid";
    if (entry.block.header.height <= state.anchor.height) return "invalid";
    chain.push(entry);
    key = hashKey(entry.block.header.parentHash);
  }
  const lowest = chain[chain.length - 1];
  if (!lowest) return "valid";
  if (lowest.status === "received") {
    lowest.status = "verifying";
    ctx.out.push({ type: "verifyBlock", block: lowest.block });
  }
  return "pending";
}

export function onBlockVerified(ctx: Ctx, hash: Hash, valid: boolean): Verdict<SimplexVerdictCode> {
  const entry = ctx.state.blocks.get(hashKey(hash));
  if (!entry || entry.status !== "verifying") return { action: "ignore", code: "SIMPLEX_IGNORE_UNREQUESTED" };
  entry.status = valid ? "valid" : "invalid";
  // A verified child of the epoch anchor carries the anchor's notarization (from the previous epoch's set, which
  // the application checked): keep it so this node can build on the anchor too.
  const carried = entry.block.parentNotarization;
  if (valid && carried && ctx.state.epochAnchorNotarization === null && bytesEqual(carried.blockHash, ctx.state.epochAnchor.hash)) {
    ctx.state.epochAnchorNotarization = carried;
  }
  return { action: "accept" };
}

export function onBlockFetched(ctx: Ctx, block: Block): Verdict<SimplexVerdictCode> {
  const hash = blockHash(block.header);
  const key = hashKey(hash);
  if (!ctx.state.fetching.delete(key)) return { action: "ignore", code: "SIMPLEX_IGNORE_UNREQUESTED" };
  if (!storeBlock(ctx, block, hash)) return { action: "ignore", code: "SIMPLEX_IGNORE_FULL" };
  return { action: "accept" };
}

/** Height of a verified block or the anchor (callers only ask after ensureVerified said valid). */
export function heightOf(ctx: Ctx, hash: Hash): number {
  if (bytesEqual(hash, ctx.state.anchor.hash)) return ctx.state.anchor.height;
  return ctx.state.blocks.get(hashKey(hash))!.block.header.height;
}
