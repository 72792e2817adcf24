// Rebuilds the Simplex machine's state from what this validator has on disk: the committed head and its epoch
// (from the executed state), the epoch anchor and recent boundary finalizations (block store), the WAL records,
// own votes the sign guard let through that the WAL lacks (re-signed: ed25519 is deterministic), and the
// unfinalized blocks the WAL saw. Used at start-up and again after block sync moved the head.

import { blockHash } from "../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import { epochInfoAt, validatorSetAt } from "../../consensus/execution/epoch.ts";
import { epochBaseView, epochLastHeight, restoreState, type SimplexConfig, type SimplexDeps, type SimplexState, type WalRecord } from "../../consensus/simplex/index.ts";
import type { Block, Certificate } from "../../consensus/types.ts";
import type { SignGuard } from "../store/sign-guard.ts";
import { votesMissingFromWal } from "../store/wal-recovery.ts";
import type { WriteAheadLog } from "../store/write-ahead-log.ts";
import type { Committed } from "./chain-app.ts";
import type { ChainStore } from "./chain-store.ts";

export interface RestoreInput {
  config: SimplexConfig;
  deps: SimplexDeps;
  chain: ChainStore;
  committed: Committed;
  /** View in which the committed head was finalized (0 at genesis). */
  committedView: number;
  epochLengthBlocks: number;
  wal: WriteAheadLog;
  /** Records the WAL returned on open (re-open the WAL to restore again later); missing own votes are appended. */
  records: WalRecord[];
  guard: SignGuard;
}

const BOUNDARY_CERTIFICATES_LOADED = 4;

export async function restoreConsensus(r: RestoreInput): Promise<{ state: SimplexState; votesFromGuard: number }> {
  const { committed, chain } = r;
  const info = epochInfoAt(committed.state);
  const epoch = info.epoch;
  const anchorHeight = info.startHeight - 1;
  const anchorHash = await chain.loadHashAtHeight(anchorHeight);
  if (!anchorHash) throw new Error(`epoch ${epoch} anchor at height ${anchorHeight} is missing from the block store`);
  const selfIndex = validatorSetAt(committed.state).indexOf(r.config.publicKey);

  const missing = selfIndex === undefined ? [] : votesMissingFromWal(r.guard, r.records);
  for (const body of missing) {
    const record: WalRecord = { type: "ownVote", vote: { ...body, validator: selfIndex!, signature: r.deps.sign(voteSigningBytes(r.config.chainId, body)) } };
    r.wal.append(record);
    r.records.push(record);
  }

  const blocks: Block[] = [];
  for (const record of r.records) {
    if (record.type !== "proposalSeen" || record.header.height <= committed.height) continue;
    const block = await chain.loadBlock(blockHash(record.header));
    if (block) blocks.push(block);
  }

  const boundaryCertificates: Certificate[] = [];
  for (let e = Math.max(0, epoch - BOUNDARY_CERTIFICATES_LOADED); e < epoch; e++) {
    const cert = await chain.loadFinalization(epochLastHeight(e, r.epochLengthBlocks));
    if (cert) boundaryCertificates.push(cert);
  }
  const atAnchor = committed.height === anchorHeight;
  const state = restoreState(r.config, {
    epoch,
    validators: validatorSetAt(committed.state),
    epochAnchor: { hash: anchorHash, height: anchorHeight },
    anchor: { hash: committed.hash, height: committed.height, view: atAnchor ? epochBaseView(epoch) : r.committedView },
    records: r.records,
    blocks,
    boundaryCertificates,
    epochAnchorNotarization: epoch === 0 ? null : await chain.loadEpochAnchorNotarization(),
  });
  return { state, votesFromGuard: missing.length };
}
