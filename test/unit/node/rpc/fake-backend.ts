// An in-memory RpcBackend for the RPC tests: a finalized chain of blocks, accounts, and a mempool that takes raw
// transactions through the real prepareTransaction (decode, chain id, signature, policy, sender recovery) plus
// the nonce, fee and balance checks a mempool makes. commit() turns the mempool into the next finalized block
// with real receipts and fee arithmetic, and tells newHeads listeners. Not a ledger: no rewards, no staking.

import { blockHash } from "../../../../consensus/codec/block-codec.ts";
import { ZERO_HASH, sha256, toHex } from "../../../../consensus/crypto/hash.ts";
import { transactionsRoot } from "../../../../consensus/execution/block-roots.ts";
import { baseFeePerGas, effectiveTipPerGas, maxTransactionCost } from "../../../../consensus/execution/fees.ts";
import { type PreparedTransaction, prepareTransaction } from "../../../../consensus/execution/prepare-transaction.ts";
import type { Receipt } from "../../../../consensus/execution/receipt.ts";
import { nobleRecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { TX_ERROR_MESSAGES, type TxErrorCode } from "../../../../consensus/execution/tx-errors.ts";
import type { StateProof } from "../../../../consensus/state/state-proof.ts";
import type { Address, Block, ChainParams, Hash } from "../../../../consensus/types.ts";
import { DEVNET_PARAMS } from "../../../../genesis/devnet-genesis.ts";
import type {
  PendingTransaction,
  RpcAccountProof,
  RpcBackend,
  RpcBlock,
  SubmitResult,
  SyncStatus,
  TransactionLocation,
} from "../../../../node/rpc/rpc-backend.ts";

export const TEST_CHAIN_ID = 31337n;
export const GENESIS_TIME_MS = 1_735_689_600_000;
export const PROPOSER_KEY = new Uint8Array(32).fill(7);
export const MINER = new Uint8Array(20).fill(0x42);

interface AccountState {
  balance: bigint;
  nonce: bigint;
}

export class FakeBackend implements RpcBackend {
  readonly chainId = TEST_CHAIN_ID;
  readonly clientVersion = "xdpchain/v0.1.0-test";
  readonly params: ChainParams = { ...DEVNET_PARAMS, chainId: TEST_CHAIN_ID };
  readonly blocks: RpcBlock[] = [];
  readonly mempool = new Map<string, PreparedTransaction>();
  /** Method names that throw, to check that backend failures become -32603. */
  readonly failing = new Set<string>();
  tipPerGas = 1_000_000_000n;
  syncStatus: SyncStatus = false;
  /** When set, block reads wait for it: holds a request in flight for as long as a test needs. */
  blockGate: Promise<void> | undefined;
  private readonly accounts = new Map<string, AccountState>();
  private readonly txIndex = new Map<string, TransactionLocation>();
  private readonly listeners = new Set<(b: RpcBlock) => void>();

  constructor() {
    this.append([], []);
  }

  fund(address: Address, balance: bigint): void {
    this.accountState(address).balance = balance;
  }

  headHeight(): number {
    this.maybeFail("headHeight");
    return this.blocks.length - 1;
  }

  async blockByHeight(height: number): Promise<RpcBlock | undefined> {
    this.maybeFail("blockByHeight");
    if (this.blockGate) await this.blockGate;
    return this.blocks[height];
  }

  async blockByHash(hash: Hash): Promise<RpcBlock | undefined> {
    return this.blocks.find((b) => toHex(b.hash) === toHex(hash));
  }

  async findTransaction(hash: Hash): Promise<TransactionLocation | undefined> {
    return this.txIndex.get(toHex(hash));
  }

  pendingTransaction(hash: Hash): PendingTransaction | undefined {
    const p = this.mempool.get(toHex(hash));
    return p ? { raw: p.raw, from: p.from } : undefined;
  }

  account(address: Address): { balance: bigint; nonce: bigint } {
    this.maybeFail("account");
    const a = this.accounts.get(toHex(address));
    return a ? { ...a } : { balance: 0n, nonce: 0n };
  }

  pendingNonce(address: Address): bigint {
    let nonce = this.account(address).nonce;
    for (const p of this.mempool.values()) if (toHex(p.from) === toHex(address) && p.tx.nonce >= nonce) nonce = p.tx.nonce + 1n;
    return nonce;
  }

  submitTransaction(raw: Uint8Array): SubmitResult {
    const prepared = prepareTransaction(raw, this.params, nobleRecoverSigner);
    if (!prepared.ok) return refuse(prepared.code, prepared.detail);
    const p = prepared.value;
    if (this.mempool.has(toHex(p.hash))) return { ok: false, code: "MEMPOOL_ALREADY_KNOWN", message: "already known" };
    const expected = this.pendingNonce(p.from);
    if (p.tx.nonce < expected) return refuse("TX_ERROR_NONCE_TOO_LOW", `next nonce ${expected}, tx nonce ${p.tx.nonce}`);
    if (p.tx.nonce > expected) return refuse("TX_ERROR_NONCE_TOO_HIGH", `next nonce ${expected}, tx nonce ${p.tx.nonce}`);
    if (p.tx.maxFeePerGas < this.baseFeePerGas()) return refuse("TX_ERROR_FEE_CAP_BELOW_BASE_FEE", `base fee ${this.baseFeePerGas()}`);
    const cost = maxTransactionCost(p.tx);
    const balance = this.account(p.from).balance;
    if (balance < cost) return refuse("TX_ERROR_INSUFFICIENT_FUNDS", `balance ${balance}, tx cost ${cost}`);
    this.mempool.set(toHex(p.hash), p);
    return { ok: true, hash: p.hash };
  }

  /** Finalizes the next block from the whole mempool, in arrival order. */
  commit(): RpcBlock {
    const txs = [...this.mempool.values()];
    this.mempool.clear();
    const baseFee = this.baseFeePerGas();
    const receipts: Receipt[] = [];
    let cumulative = 0n;
    for (const p of txs) {
      const price = baseFee + effectiveTipPerGas(p.tx, baseFee);
      const sender = this.accountState(p.from);
      sender.balance -= p.tx.value + p.gasUsed * price;
      sender.nonce += 1n;
      this.accountState(p.tx.to!).balance += p.tx.value;
      cumulative += p.gasUsed;
      receipts.push({
        transactionHash: p.hash,
        from: p.from,
        to: p.tx.to,
        status: 1,
        gasUsed: p.gasUsed,
        cumulativeGasUsed: cumulative,
        effectiveGasPrice: price,
        revertCode: null,
      });
    }
    const b = this.append(txs.map((p) => p.raw), receipts);
    b.block.transactions.forEach((_, index) => this.txIndex.set(toHex(receipts[index]!.transactionHash), { height: b.block.header.height, index }));
    for (const l of [...this.listeners]) l(b);
    return b;
  }

  baseFeePerGas(): bigint {
    return baseFeePerGas(this.params);
  }

  suggestedTipPerGas(): bigint {
    return this.tipPerGas;
  }

  blockGasLimit(): bigint {
    return this.params.blockGasLimit;
  }

  syncing(): SyncStatus {
    return this.syncStatus;
  }

  peerCount(): number {
    return 3;
  }

  status(): unknown {
    this.maybeFail("status");
    return { headHeight: this.headHeight(), role: "validator", transport: "udp" };
  }

  validators(): unknown {
    return [{ publicKey: `0x${toHex(PROPOSER_KEY)}`, stake: "1000" }];
  }

  peers(): unknown {
    return [{ id: "peer-a" }, { id: "peer-b" }, { id: "peer-c" }];
  }

  accountProof(address: Address): RpcAccountProof | undefined {
    const head = this.blocks[this.blocks.length - 1]!;
    const proof: StateProof = { siblings: [sha256(address)], otherLeaf: null };
    return { header: head.block.header, ...this.account(address), proof };
  }

  onNewHead(listener: (b: RpcBlock) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private append(transactions: Uint8Array[], receipts: Receipt[]): RpcBlock {
    const height = this.blocks.length;
    const parent = this.blocks[height - 1];
    const block: Block = {
      header: {
        chainId: TEST_CHAIN_ID,
        height,
        view: height,
        parentHash: parent ? parent.hash : ZERO_HASH,
        timestampMs: GENESIS_TIME_MS + height * 1000,
        proposer: PROPOSER_KEY,
        stateRoot: sha256(Uint8Array.of(height)),
        transactionsRoot: transactionsRoot(transactions),
        evidenceRoot: ZERO_HASH,
        laneRoot: ZERO_HASH,
      },
      transactions,
      evidence: [],
      parentNotarization: null,
    };
    const b: RpcBlock = { block, hash: blockHash(block.header), receipts, baseFeePerGas: this.baseFeePerGas(), miner: MINER };
    this.blocks.push(b);
    return b;
  }

  private accountState(address: Address): AccountState {
    const key = toHex(address);
    let a = this.accounts.get(key);
    if (!a) {
      a = { balance: 0n, nonce: 0n };
      this.accounts.set(key, a);
    }
    return a;
  }

  private maybeFail(method: string): void {
    if (this.failing.has(method)) throw new Error(`fake backend: ${method} failed`);
  }
}

function refuse(code: TxErrorCode, detail: string): SubmitResult {
  const base = TX_ERROR_MESSAGES[code];
  return { ok: false, code, message: detail === base ? base : `${base}: ${detail}` };
}
