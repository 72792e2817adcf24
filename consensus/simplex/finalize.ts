// Finality: a finalization certificate commits its block and every unfinalized ancestor, in height order, once
// all of them are present and verified. Finalizing the epoch's last block ends the epoch; the application
// answers with the next epoch's validator set and the machine restarts its views from the next epoch's base.

import { bytesEqual } from "../crypto/hash.ts";
import type { Certificate } from "../types.ts";
import type { ValidatorSet } from "../validator-set.ts";
import type { Verdict } from "../errors.ts";
import { ensureVerified } from "./blocks.ts";
import type { Ctx } from "./context.ts";
import { epochBaseView, epochLastHeight } from "./epoch.ts";
import { BOUNDARY_CERTIFICATES_KEPT, hashKey, prune, type BlockEntry } from "./state.ts";
import type { SimplexVerdictCode } from "./types.ts";
import { enterView } from "./views.ts";

export function tryFinalize(ctx: Ctx): void {
  const { state } = ctx;
  const cert = state.pendingFinalization;
  if (!cert) return;
  if (cert.view <= state.anchor.view) {
    state.pendingFinalization = null;
    return;
  }
  const readiness = ensureVerified(ctx, cert.blockHash);
  if (readiness === "pending") return;
  if (readiness === "invalid") {
    // A quorum finalized a block this node finds invalid or conflicting with its finalized chain: more than a
    // third of stake signed it, or this node executes differently. Peer input must not crash the node, and
    // following the certificate would commit what this node rejects, so it is refused and reported.
    state.pendingFinalization = null;
    ctx.out.push({ type: "finalityFault", certificate: cert, detail: "finalized block is invalid or conflicts with the finalized chain" });
    return;
  }
  const chain: BlockEntry[] = [];
  const anchorKey = hashKey(state.anchor.hash);
  for (let key = hashKey(cert.blockHash); key !== anchorKey; ) {
    const entry = state.blocks.get(key)!;
    chain.push(entry);
    key = hashKey(entry.block.header.parentHash);
  }
  state.pendingFinalization = null;
  chain.reverse();
  const last = epochLastHeight(state.epoch, ctx.config.epochLengthBlocks);
  for (const entry of chain) {
    const height = entry.block.header.height;
    const view = entry === chain[chain.length - 1] ? cert.view : entry.block.header.view;
    ctx.out.push({ type: "finalized", block: entry.block, certificate: cert });
    state.anchor = { hash: entry.hash, height, view };
    if (height === last) {
      endEpoch(ctx, entry, cert);
      return;
    }
  }
  prune(state, ctx.config.viewWindow, ctx.config.viewsKeptMax);
}

function endEpoch(ctx: Ctx, boundary: BlockEntry, cert: Certificate): void {
  const { state } = ctx;
  state.boundaryCertificates.set(state.epoch, cert);
  state.boundaryCertificates.delete(state.epoch - BOUNDARY_CERTIFICATES_KEPT);
  let notarization: Certificate | null = null;
  for (const record of state.views.values()) {
    if (record.notarization && bytesEqual(record.notarization.blockHash, boundary.hash)) notarization = record.notarization;
  }
  state.epochAnchorNotarization = notarization;
  state.validators = null;
  state.selfIndex = undefined;
  ctx.out.push({ type: "epochEnded", epoch: state.epoch, boundary: boundary.block, certificate: cert, notarization });
}

export function onEpochStarted(ctx: Ctx, epoch: number, validators: ValidatorSet): Verdict<SimplexVerdictCode> {
  const { state } = ctx;
  if (state.validators !== null || epoch !== state.epoch + 1) return { action: "ignore", code: "SIMPLEX_IGNORE_STALE" };
  const base = epochBaseView(epoch);
  state.epoch = epoch;
  state.validators = validators;
  state.selfIndex = validators.indexOf(ctx.config.publicKey);
  state.epochAnchor = { hash: state.anchor.hash, height: state.anchor.height, view: base };
  state.anchor = state.epochAnchor;
  state.views.clear();
  state.pendingFinalization = null;
  state.view = base;
  prune(state, ctx.config.viewWindow, ctx.config.viewsKeptMax);
  enterView(ctx, base + 1);
  return { action: "accept" };
}
