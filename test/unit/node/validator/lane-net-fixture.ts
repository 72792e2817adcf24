// A 4-validator devnet chain with the order lane, run in one process without sockets or timers: four LaneServices
// on one fake clock whose broadcasts are handed synchronously to the other three (as the data plane would), and a
// ChainApp whose proposals take their lane section from the view's leader's service. Blocks are built, committed
// and finalized by hand; tests decide what reaches the ChainStore. Test code only.

import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../../../consensus/codec/vote-codec.ts";
import { nobleVerify, signEd25519 } from "../../../../consensus/crypto/ed25519.ts";
import { bytesEqual } from "../../../../consensus/crypto/hash.ts";
import { validatorSetAt } from "../../../../consensus/execution/epoch.ts";
import type { BlockExecution } from "../../../../consensus/execution/execute-block.ts";
import type { ExecutionContext } from "../../../../consensus/execution/execution-context.ts";
import { nobleRecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { getEpochRecord } from "../../../../consensus/state/state-access.ts";
import { VoteKind, type Block, type Certificate, type Hash } from "../../../../consensus/types.ts";
import type { ValidatorSet } from "../../../../consensus/validator-set.ts";
import { generateDevnetGenesis } from "../../../../genesis/devnet-genesis.ts";
import { genesisHash } from "../../../../genesis/genesis-hash.ts";
import { genesisLaneOf } from "../../../../genesis/genesis-lane.ts";
import { genesisWorldState } from "../../../../genesis/genesis-state-input.ts";
import { LaneService } from "../../../../node/lane/lane-service.ts";
import { ChainApp, type Committed } from "../../../../node/validator/chain-app.ts";
import type { ChainGenesis } from "../../../../node/validator/chain-store.ts";

export const DEVNET = generateDevnetGenesis({ validators: 4 });
export const GENESIS = DEVNET.genesis;
export const CTX: ExecutionContext = { params: GENESIS.params, recoverSigner: nobleRecoverSigner, ed25519Verify: nobleVerify };

/** What a node passes to ChainStore.open: built afresh each time, as a restarted process would. */
export function chainGenesis(): ChainGenesis {
  return {
    hash: genesisHash(GENESIS),
    timestampMs: GENESIS.genesisTimeMs,
    state: genesisWorldState(GENESIS),
    lane: genesisLaneOf(GENESIS.lane!, GENESIS.validators),
  };
}

function secretOf(publicKey: Uint8Array): Uint8Array {
  return DEVNET.validatorKeys.find((k) => bytesEqual(k.publicKey, publicKey))!.secretKey;
}

function certify(kind: VoteKind, set: ValidatorSet, view: number, hash: Hash): Certificate {
  const body = { kind, view, blockHash: hash };
  const message = voteSigningBytes(GENESIS.chainId, body);
  return { ...body, signers: set.validators.map((v, validator) => ({ validator, signature: signEd25519(secretOf(v.publicKey), message) })) };
}

export interface Step {
  block: Block;
  hash: Hash;
  execution: BlockExecution;
  finalization: Certificate;
}

export class LaneNet {
  readonly clock = { ms: GENESIS.genesisTimeMs };
  readonly app: ChainApp;
  readonly services: LaneService[];
  private candidates: Uint8Array[] = [];
  private proposer = 0;
  private parent: { view: number; set: ValidatorSet } | null = null;

  constructor(committed: Committed) {
    const set = validatorSetAt(committed.state);
    this.services = set.validators.map((v, index) =>
      new LaneService({
        chainId: GENESIS.chainId,
        deltaMs: 50,
        validatorIndex: () => validatorSetAt(this.app.committed.state).indexOf(v.publicKey),
        secretKey: secretOf(v.publicKey),
        epoch: () => ({ epoch: getEpochRecord(this.app.committed.state).epoch, set: validatorSetAt(this.app.committed.state) }),
        verify: nobleVerify,
        broadcast: (kind, bodies) => {
          this.services.forEach((peer, j) => {
            if (j !== index) for (const body of bodies) peer.onFrame({ kind, body: body.slice() }, { host: `10.0.0.${index + 1}`, port: 9000 });
          });
        },
        priceFeed: { prices: () => [{ marketId: 1, priceTicks: 600_000 }] },
        committedLane: () => this.app.committed.lane!,
        committedHeight: () => this.app.committed.height,
        info: () => ({ host: "127.0.0.1", port: 9400, ingest: "udp", reason: "test" }),
        nowMs: () => this.clock.ms,
      }),
    );
    const source = { candidates: (max: number) => this.candidates.slice(0, max) };
    this.app = new ChainApp(CTX, committed, source, 100, { section: (input) => this.services[this.proposer]!.section(input) });
  }

  tickAll(): void {
    for (const s of this.services) s.tick();
  }

  /**
   * Block at the next height, one second after the last: `orders` reach validator 0 200 ms before the block's
   * time, everyone ticks at -200 and -100 ms, the view's leader proposes at -50 ms with `txs`; then the block is
   * committed by the app and every service sees it finalized.
   */
  step(txs: Uint8Array[] = [], orders: Uint8Array[] = []): Step {
    const height = this.app.committed.height + 1;
    const view = height * 2 + 1;
    const timestampMs = GENESIS.genesisTimeMs + height * 1_000;
    const set = validatorSetAt(this.app.committed.state);
    this.clock.ms = timestampMs - 200;
    for (const o of orders) {
      const r = this.services[0]!.submitOrder(o);
      if (!r.ok) throw new Error(`order refused: ${r.code} ${r.message}`);
    }
    this.tickAll();
    this.clock.ms = timestampMs - 100;
    this.tickAll();
    this.clock.ms = timestampMs - 50;
    this.proposer = set.leaderOf(view);
    this.candidates = txs;
    const built = this.app.build({
      parentHash: this.app.committed.hash, height, view, timestampMs, proposer: set.get(this.proposer)!.publicKey,
      parentNotarization: this.parent ? certify(VoteKind.Notarize, this.parent.set, this.parent.view, this.app.committed.hash) : null,
      evidence: [],
    });
    if (!built) throw new Error(`no block at height ${height}`);
    const hash = blockHash(built.block.header);
    const execution = this.app.commit(built.block, hash);
    for (const s of this.services) s.onFinalized({ height, hash, timestampMs }, execution.lane!);
    this.parent = { view, set };
    return { block: built.block, hash, execution, finalization: certify(VoteKind.Finalize, set, view, hash) };
  }
}
