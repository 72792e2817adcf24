// The Simplex state machine: apply(state, input) -> { state, outputs, verdict }. Pure and deterministic given
// its injected verify/sign. Each input is handled, then progress() retries what may have become possible
// (finalize, notarize, propose). The node performs outputs in order, persisting before it speaks.

import { InvariantError, type Verdict } from "../errors.ts";
import { onBlockFetched, onBlockVerified } from "./blocks.ts";
import { onCertificateInput } from "./certificates.ts";
import type { Ctx } from "./context.ts";
import { epochOfView } from "./epoch.ts";
import { onEpochStarted, tryFinalize } from "./finalize.ts";
import { onProposalInput, tryNotarize } from "./proposals.ts";
import { recordOf, type SimplexState } from "./state.ts";
import type { Input, Output, SimplexConfig, SimplexDeps, SimplexVerdictCode } from "./types.ts";
import { onTimeout, resend, scheduleViewTimers, tryPropose, onBlockBuilt } from "./views.ts";
import { onVoteInput } from "./votes.ts";

export type SimplexVerdict = Verdict<SimplexVerdictCode>;

export interface ApplyResult {
  state: SimplexState;
  outputs: Output[];
  /** About the input itself: ignore/reject verdicts let node/net score the peer that sent it. */
  verdict: SimplexVerdict;
}

const PROGRESS_ROUNDS_MAX = 16;

export class SimplexMachine {
  constructor(
    readonly config: SimplexConfig,
    readonly deps: SimplexDeps,
  ) {
    if (config.viewWindow < 2 || config.epochLengthBlocks < 1) throw new InvariantError("bad Simplex configuration");
  }

  apply(state: SimplexState, input: Input): ApplyResult {
    const ctx: Ctx = { config: this.config, deps: this.deps, state, out: [] };
    const verdict = dispatch(ctx, input);
    if (state.started && state.validators !== null) progress(ctx);
    return { state, outputs: ctx.out, verdict };
  }
}

function dispatch(ctx: Ctx, input: Input): SimplexVerdict {
  const { state } = ctx;
  if (input.type === "start") return start(ctx);
  if (input.type === "epochStarted") return onEpochStarted(ctx, input.epoch, input.validators);
  if (input.type === "blockVerified") return onBlockVerified(ctx, input.hash, input.valid);
  if (input.type === "blockFetched") return onBlockFetched(ctx, input.block);
  if (!state.started || state.validators === null) return { action: "ignore", code: "SIMPLEX_IGNORE_NOT_STARTED" };
  switch (input.type) {
    case "proposal":
      return peerInput(ctx, input.proposal.view, () => onProposalInput(ctx, input.proposal));
    case "vote":
      return peerInput(ctx, input.vote.view, () => onVoteInput(ctx, input.vote));
    case "certificate":
      return peerInput(ctx, input.certificate.view, () => onCertificateInput(ctx, input.certificate));
    case "timeout":
      return onTimeout(ctx, input.view, input.kind);
    case "blockBuilt":
      return onBlockBuilt(ctx, input.view, input.block);
  }
}

/** Peer messages from an older epoch get the finalization that ended it (once per view) so the laggard moves on. */
function peerInput(ctx: Ctx, view: number, handle: () => SimplexVerdict): SimplexVerdict {
  const { state } = ctx;
  const epoch = Number.isSafeInteger(view) && view >= 0 ? epochOfView(view) : -1;
  if (epoch < 0) return { action: "reject", code: "SIMPLEX_REJECT_MALFORMED", detail: "view" };
  if (epoch < state.epoch) {
    const certificate = state.boundaryCertificates.get(epoch);
    if (certificate && state.boundaryResentView !== state.view) {
      state.boundaryResentView = state.view;
      ctx.out.push({ type: "broadcast", message: { type: "certificate", certificate } });
    }
    return { action: "ignore", code: "SIMPLEX_IGNORE_OTHER_EPOCH" };
  }
  return handle();
}

function start(ctx: Ctx): SimplexVerdict {
  const { state } = ctx;
  if (state.started) return { action: "ignore", code: "SIMPLEX_IGNORE_DUPLICATE" };
  state.started = true;
  if (state.validators === null) return { action: "accept" };
  const record = recordOf(state, state.view);
  scheduleViewTimers(ctx);
  // After a restart: votes persisted before a crash may never have left; send them (and what led here) again.
  if (record.own.notarize || record.own.nullify) resend(ctx);
  if (record.own.nullify) {
    record.retrying = true;
    ctx.out.push({ type: "scheduleTimeout", view: state.view, kind: "retry", afterMs: ctx.config.retryTimeoutMs });
  }
  return { action: "accept" };
}

function progress(ctx: Ctx): void {
  const { state } = ctx;
  for (let round = 0; round < PROGRESS_ROUNDS_MAX; round++) {
    const view = state.view;
    const height = state.anchor.height;
    tryFinalize(ctx);
    if (state.validators === null) return;
    tryNotarize(ctx);
    tryPropose(ctx);
    if (view === state.view && height === state.anchor.height) return;
  }
}
