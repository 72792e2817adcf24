// The simulation's application backed by the real execution (consensus/execution): genesis state with bonded
// validators and funded accounts, proposeBlock/verifyBlock on parent snapshots, evidence slashed and jailed in
// state, the next epoch's set from validatorSetAt. A few signed transfers per block keep the transaction path live;
// sender recovery is memoized across nodes (a pure function, so every node would compute the same address).

import { blockHash } from "../../consensus/codec/block-codec.ts";
import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import { toHex, ZERO_HASH } from "../../consensus/crypto/hash.ts";
import type { ExecutionContext } from "../../consensus/execution/execution-context.ts";
import { validatorSetAt } from "../../consensus/execution/epoch.ts";
import { proposeBlock } from "../../consensus/execution/block-builder.ts";
import { verifyBlock } from "../../consensus/execution/execute-block.ts";
import { createGenesisState } from "../../consensus/execution/genesis-state.ts";
import { nobleRecoverSigner, type RecoverSigner } from "../../consensus/execution/recover-signer.ts";
import { addressFromSecretKey, signAndEncodeTransaction } from "../../consensus/execution/transaction-signer.ts";
import { TxType } from "../../consensus/execution/transaction.ts";
import { getAccount, getHeight, getValidatorRecord } from "../../consensus/state/state-access.ts";
import type { WorldState } from "../../consensus/state/world-state.ts";
import type { Block, ChainParams, Evidence, Hash, Validator } from "../../consensus/types.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";
import type { Prng } from "./prng.ts";
import type { BuildRequest, SimApplication } from "./sim-app.ts";

export function simChainParams(chainId: bigint, epochLengthBlocks: number): ChainParams {
  return {
    chainId,
    epochLengthBlocks,
    unbondingPeriodBlocks: 64,
    minValidatorStake: 1n,
    maxValidators: 64,
    slashFractionBps: 1000,
    jailPeriodBlocks: 1_000_000,
    blockReward: 1_000n,
    proposerRewardBps: 5000,
    minBaseFeePerGas: 1n,
    blockGasLimit: 30_000_000n,
    maxTransactionsPerBlock: 64,
  };
}

const recovered = new Map<string, Uint8Array | null>();
const memoRecover: RecoverSigner = (hash, r, s, bit) => {
  const key = `${toHex(hash)}${toHex(r)}${toHex(s)}${bit}`;
  let address = recovered.get(key);
  if (address === undefined) {
    if (recovered.size > 100_000) recovered.clear();
    address = nobleRecoverSigner(hash, r, s, bit);
    recovered.set(key, address);
  }
  return address;
};

/** Deterministic secp256k1 account keys for the simulated users. */
export function simAccountKeys(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => {
    const key = new Uint8Array(32);
    key[31] = i + 1;
    key[0] = 0x42;
    return key;
  });
}

export function simGenesisState(params: ChainParams, validators: readonly Validator[], accountKeys: readonly Uint8Array[]): WorldState {
  return createGenesisState({
    params,
    accounts: accountKeys.map((k) => ({ address: addressFromSecretKey(k), balance: 10n ** 24n })),
    validators: validators.map((v) => ({ publicKey: v.publicKey, operator: v.operator, stake: v.stake })),
  });
}

export class ExecutionApp implements SimApplication<WorldState> {
  private readonly states = new Map<string, WorldState>();
  private committed: { hash: Hash; state: WorldState };
  private readonly ctx: ExecutionContext;

  constructor(
    params: ChainParams,
    verify: Ed25519Verify,
    private readonly accountKeys: readonly Uint8Array[],
    private readonly rng: Prng,
    private readonly txRate: number,
    committed: { hash: Hash; state: WorldState },
  ) {
    this.ctx = { params, recoverSigner: memoRecover, ed25519Verify: verify };
    this.committed = committed;
    this.states.set(toHex(committed.hash), committed.state);
  }

  committedSnapshot(): WorldState {
    return this.committed.state;
  }

  private transfers(parent: WorldState): Uint8Array[] {
    if (!this.rng.chance(this.txRate) || this.accountKeys.length < 2) return [];
    const from = this.rng.int(0, this.accountKeys.length - 1);
    const to = (from + 1) % this.accountKeys.length;
    const key = this.accountKeys[from]!;
    const nonce = getAccount(parent, addressFromSecretKey(key)).nonce;
    const tx = {
      type: TxType.DynamicFee,
      chainId: this.ctx.params.chainId,
      nonce,
      maxPriorityFeePerGas: 1n,
      maxFeePerGas: 10n,
      gasLimit: 21_000n,
      to: addressFromSecretKey(this.accountKeys[to]!),
      value: 1n + BigInt(this.rng.int(0, 1000)),
      data: new Uint8Array(0),
      accessList: [],
    };
    return [signAndEncodeTransaction(tx, key)];
  }

  build(req: BuildRequest): Block | null {
    const parent = this.states.get(toHex(req.parentHash));
    if (!parent) return null;
    const header = {
      chainId: this.ctx.params.chainId,
      height: req.height,
      view: req.view,
      parentHash: req.parentHash,
      timestampMs: req.timestampMs,
      proposer: req.proposer,
      laneRoot: ZERO_HASH,
    };
    const input = { header, parentNotarization: req.parentNotarization, candidateTransactions: this.transfers(parent), candidateEvidence: req.evidence };
    const result = proposeBlock(parent, input, this.ctx);
    if (!result.ok) return null;
    this.states.set(toHex(blockHash(result.block.header)), result.execution.state);
    return result.block;
  }

  verify(block: Block, hash: Hash): boolean {
    const parent = this.states.get(toHex(block.header.parentHash));
    if (!parent) return false;
    const result = verifyBlock(parent, block, this.ctx);
    if (!result.ok) return false;
    this.states.set(toHex(hash), result.value.state);
    return true;
  }

  commit(block: Block, hash: Hash): void {
    if (!this.states.has(toHex(hash)) && !this.verify(block, hash)) {
      throw new Error(`finalized block ${block.header.height} does not execute`);
    }
    const state = this.states.get(toHex(hash))!;
    this.committed = { hash, state };
    for (const [key, s] of this.states) if (s !== state && heightOf(s) < block.header.height) this.states.delete(key);
  }

  validatorSetFor(_epoch: number): ValidatorSet {
    return validatorSetAt(this.committed.state);
  }

  isSlashed(publicKey: Uint8Array): boolean {
    return getValidatorRecord(this.committed.state, publicKey)?.slashed === true;
  }

  committedHeight(): number {
    return heightOf(this.committed.state);
  }

  evidenceIncluded(evidence: Evidence): boolean {
    return this.isSlashed(evidence.publicKey);
  }
}

function heightOf(state: WorldState): number {
  return getHeight(state);
}
