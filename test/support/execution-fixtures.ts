// Fixtures for execution tests: chain parameters, deterministic secp256k1 accounts, a genesis with four
// validators, transaction builders, and TestChain, which proposes and executes blocks with real parent
// notarizations signed by the validators' test keys. Test-only; never used by the node.

import { sha256 } from "@noble/hashes/sha2.js";
import { blockHash } from "../../consensus/codec/block-codec.ts";
import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import { nobleVerify, signEd25519 } from "../../consensus/crypto/ed25519.ts";
import { ZERO_HASH, toHex } from "../../consensus/crypto/hash.ts";
import { proposeBlock } from "../../consensus/execution/block-builder.ts";
import type { ExecutionContext } from "../../consensus/execution/execution-context.ts";
import { type BlockExecution } from "../../consensus/execution/execute-block.ts";
import { epochInfoAt, validatorSetAt } from "../../consensus/execution/epoch.ts";
import { type GenesisState, createGenesisState } from "../../consensus/execution/genesis-state.ts";
import { nobleRecoverSigner } from "../../consensus/execution/recover-signer.ts";
import { STAKING_ADDRESS, type StakingCall, encodeStakingCall, registrationSigningBytes } from "../../consensus/execution/staking-call.ts";
import { addressFromSecretKey, signAndEncodeTransaction } from "../../consensus/execution/transaction-signer.ts";
import { TxType, type UnsignedTransaction } from "../../consensus/execution/transaction.ts";
import type { WorldState } from "../../consensus/state/world-state.ts";
import { type Address, type Block, type Certificate, type ChainParams, type Evidence, VoteKind } from "../../consensus/types.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";
import { TEST_CHAIN_ID, testKey } from "./fixtures.ts";

export const ETHER = 10n ** 18n;
export const GWEI = 10n ** 9n;

export const TEST_PARAMS: ChainParams = {
  chainId: TEST_CHAIN_ID,
  epochLengthBlocks: 4,
  unbondingPeriodBlocks: 3,
  minValidatorStake: 1_000n * ETHER,
  maxValidators: 4,
  slashFractionBps: 1_000,
  jailPeriodBlocks: 5,
  blockReward: 2n * ETHER,
  proposerRewardBps: 2_000,
  minBaseFeePerGas: GWEI,
  blockGasLimit: 30_000_000n,
  maxTransactionsPerBlock: 10_000,
};

export const TEST_CTX: ExecutionContext = { params: TEST_PARAMS, recoverSigner: nobleRecoverSigner, ed25519Verify: nobleVerify };

export function accountSecret(n: number): Uint8Array {
  return sha256(new TextEncoder().encode(`xdpchain-test-account-${n}`));
}

const addressCache = new Map<number, Address>();
export function accountAddress(n: number): Address {
  let a = addressCache.get(n);
  if (!a) {
    a = addressFromSecretKey(accountSecret(n));
    addressCache.set(n, a);
  }
  return a;
}

/** Validators 1..4 (ed25519 testKey(i)), operated by accounts 100+i; accounts 1..8 hold 1e6 ether each. */
export function testGenesis(overrides: Partial<GenesisState> = {}): GenesisState {
  return {
    params: TEST_PARAMS,
    accounts: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ address: accountAddress(n), balance: 1_000_000n * ETHER })),
    validators: [1, 2, 3, 4].map((i) => ({ publicKey: testKey(i).publicKey, operator: accountAddress(100 + i), stake: 10_000n * ETHER })),
    ...overrides,
  };
}

export interface TxOptions {
  type?: TxType;
  nonce?: bigint;
  tip?: bigint;
  cap?: bigint;
  gasLimit?: bigint;
  chainId?: bigint;
  data?: Uint8Array;
}

export function unsignedTx(to: Address | null, value: bigint, o: TxOptions = {}): UnsignedTransaction {
  const type = o.type ?? TxType.DynamicFee;
  const cap = o.cap ?? 2n * GWEI;
  return {
    type,
    chainId: o.chainId ?? TEST_CHAIN_ID,
    nonce: o.nonce ?? 0n,
    maxPriorityFeePerGas: type === TxType.DynamicFee ? (o.tip ?? GWEI / 2n) : cap,
    maxFeePerGas: cap,
    gasLimit: o.gasLimit ?? 21_000n,
    to,
    value,
    data: o.data ?? new Uint8Array(0),
    accessList: [],
  };
}

export function transferTx(from: number, to: Address, value: bigint, o: TxOptions = {}): Uint8Array {
  return signAndEncodeTransaction(unsignedTx(to, value, o), accountSecret(from));
}

export function stakingTx(from: number, call: StakingCall, value: bigint, o: TxOptions = {}): Uint8Array {
  return signAndEncodeTransaction(unsignedTx(STAKING_ADDRESS, value, { gasLimit: 50_000n, ...o, data: encodeStakingCall(call) }), accountSecret(from));
}

/** A BOND call for validator key testKey(keyN) by operator account `operator`. */
export function bondCall(keyN: number, operator: number): StakingCall {
  const { secretKey, publicKey } = testKey(keyN);
  return { op: 1, publicKey, proof: signEd25519(secretKey, registrationSigningBytes(TEST_CHAIN_ID, publicKey, accountAddress(operator))) };
}

/** Evidence that testKey(keyN) notarized two different blocks in `view`. */
export function doubleNotarize(keyN: number, view: number): Evidence {
  const { secretKey, publicKey } = testKey(keyN);
  const body = (b: number) => ({ kind: VoteKind.Notarize, view, blockHash: new Uint8Array(32).fill(b) });
  const signed = (b: number) => ({ ...body(b), signature: signEd25519(secretKey, voteSigningBytes(TEST_CHAIN_ID, body(b))) });
  return { publicKey, first: signed(1), second: signed(2) };
}

const secretByKey = new Map<string, Uint8Array>();
for (let i = 1; i <= 16; i++) secretByKey.set(toHex(testKey(i).publicKey), testKey(i).secretKey);

/** A notarization of `hash` in `view` signed by every member of `set`. */
export function notarize(set: ValidatorSet, view: number, hash: Uint8Array): Certificate {
  const body = { kind: VoteKind.Notarize, view, blockHash: hash };
  const message = voteSigningBytes(TEST_CHAIN_ID, body);
  const signers = set.validators.map((v, validator) => ({ validator, signature: signEd25519(secretByKey.get(toHex(v.publicKey))!, message) }));
  return { ...body, signers };
}

/** A chain of executed blocks: each proposal is built, executed and notarized by the full set. */
export class TestChain {
  state: WorldState;
  readonly blocks: Block[] = [];
  readonly executions: BlockExecution[] = [];
  private parent: { hash: Uint8Array; view: number; set: ValidatorSet } | null = null;

  constructor(readonly genesis: GenesisState = testGenesis(), readonly ctx: ExecutionContext = { ...TEST_CTX, params: genesis.params }) {
    this.state = createGenesisState(genesis);
  }

  get height(): number {
    return this.blocks.length;
  }

  nextBlock(txs: readonly Uint8Array[] = [], evidence: readonly Evidence[] = []): ReturnType<typeof proposeBlock> {
    const set = validatorSetAt(this.state);
    const view = this.height * 2 + 1;
    const height = this.height + 1;
    return proposeBlock(
      this.state,
      {
        header: { chainId: this.ctx.params.chainId, height, view, parentHash: this.parent?.hash ?? ZERO_HASH, timestampMs: 1_700_000_000_000 + height * 500, proposer: set.get(set.leaderOf(view))!.publicKey, laneRoot: ZERO_HASH },
        parentNotarization: this.parent ? notarize(this.parent.set, this.parent.view, this.parent.hash) : null,
        candidateTransactions: txs,
        candidateEvidence: evidence,
      },
      this.ctx,
    );
  }

  /** Proposes and commits a block; throws if the proposal failed (a test bug). */
  advance(txs: readonly Uint8Array[] = [], evidence: readonly Evidence[] = []): BlockExecution & { block: Block; skippedCodes: string[] } {
    const setBefore = validatorSetAt(this.state);
    const r = this.nextBlock(txs, evidence);
    if (!r.ok) throw new Error(`proposal failed: ${r.code} ${r.detail}`);
    this.blocks.push(r.block);
    this.executions.push(r.execution);
    this.parent = { hash: blockHash(r.block.header), view: r.block.header.view, set: setBefore };
    this.state = r.execution.state;
    return { ...r.execution, block: r.block, skippedCodes: r.body.skipped.map((s) => s.code) };
  }

  epoch(): number {
    return epochInfoAt(this.state).epoch;
  }
}
