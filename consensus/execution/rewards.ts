// Block rewards and the parent notarization that earns them. ChainParams.blockReward is minted each block:
// proposerRewardBps of it to the proposer's operator, the rest to the signers of block.parentNotarization by
// stake (floor); rounding dust and, at height 1 (no notarization), everything goes to the proposer.

import { voteSigningBytes } from "../codec/vote-codec.ts";
import { bytesEqual } from "../crypto/hash.ts";
import { ACCEPT, type Verdict } from "../errors.ts";
import { type Block, type Validator, VoteKind } from "../types.ts";
import { ValidatorSet } from "../validator-set.ts";
import type { ExecutionContext } from "./execution-context.ts";
import type { EpochRecord } from "../state/epoch-record.ts";
import { type StateWriter, creditAccount } from "../state/state-access.ts";

export type NotarizationErrorCode =
  | "BLOCK_ERROR_PARENT_NOTARIZATION_MISSING"
  | "BLOCK_ERROR_PARENT_NOTARIZATION_UNEXPECTED"
  | "BLOCK_ERROR_PARENT_NOTARIZATION_WRONG_BLOCK"
  | "BLOCK_ERROR_PARENT_NOTARIZATION_UNKNOWN_SIGNER"
  | "BLOCK_ERROR_PARENT_NOTARIZATION_NO_QUORUM"
  | "BLOCK_ERROR_PARENT_NOTARIZATION_BAD_SIGNATURE";

/**
 * Checks block.parentNotarization against the set that validated the parent (height - 1) and returns its
 * signers. Height 1 builds on genesis and carries none.
 */
export function validateParentNotarization(
  block: Block,
  epoch: EpochRecord,
  ctx: ExecutionContext,
): { verdict: Verdict<NotarizationErrorCode>; signers: Validator[] } {
  const cert = block.parentNotarization;
  const reject = (code: NotarizationErrorCode, detail?: string) => ({ verdict: { action: "reject" as const, code, detail }, signers: [] });
  if (block.header.height === 1) return cert === null ? { verdict: ACCEPT, signers: [] } : reject("BLOCK_ERROR_PARENT_NOTARIZATION_UNEXPECTED");
  if (cert === null) return reject("BLOCK_ERROR_PARENT_NOTARIZATION_MISSING");
  if (cert.kind !== VoteKind.Notarize || !bytesEqual(cert.blockHash, block.header.parentHash)) {
    return reject("BLOCK_ERROR_PARENT_NOTARIZATION_WRONG_BLOCK");
  }
  const parentSet = block.header.height - 1 >= epoch.startHeight ? epoch.current : epoch.previous;
  if (parentSet === null) return reject("BLOCK_ERROR_PARENT_NOTARIZATION_UNKNOWN_SIGNER", "no set recorded for the parent");
  const set = new ValidatorSet(parentSet.validators, parentSet.seed);
  const message = voteSigningBytes(ctx.params.chainId, cert);
  const signers: Validator[] = [];
  for (const s of cert.signers) {
    const v = set.get(s.validator);
    if (v === undefined) return reject("BLOCK_ERROR_PARENT_NOTARIZATION_UNKNOWN_SIGNER", `index ${s.validator}`);
    if (!ctx.ed25519Verify(v.publicKey, message, s.signature)) {
      return reject("BLOCK_ERROR_PARENT_NOTARIZATION_BAD_SIGNATURE", `index ${s.validator}`);
    }
    signers.push(v);
  }
  if (!set.isQuorum(set.stakeOf(cert.signers.map((s) => s.validator)))) return reject("BLOCK_ERROR_PARENT_NOTARIZATION_NO_QUORUM");
  return { verdict: ACCEPT, signers };
}

/** Mints blockReward: proposer share plus dust to `proposer`, the rest to `signers` by stake. Returns the amount minted. */
export function distributeRewards(db: StateWriter, proposer: Validator, signers: readonly Validator[], blockReward: bigint, proposerRewardBps: number): bigint {
  if (blockReward === 0n) return 0n;
  let signedStake = 0n;
  for (const s of signers) signedStake += s.stake;
  const voterPool = signedStake === 0n ? 0n : blockReward - (blockReward * BigInt(proposerRewardBps)) / 10_000n;
  let paid = 0n;
  for (const s of signers) {
    const share = (voterPool * s.stake) / signedStake;
    creditAccount(db, s.operator, share);
    paid += share;
  }
  creditAccount(db, proposer.operator, blockReward - paid);
  return blockReward;
}
