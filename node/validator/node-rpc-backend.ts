// The validator's answer to the JSON-RPC server (node/rpc/rpc-backend.ts): finalized blocks and receipts from
// the chain store (the newest ones from a small in-memory cache, since RPC asks for the head most), accounts from
// the committed state, and the mempool for pending nonces and submissions. Status views come from the node.

import { blockHash } from "../../consensus/codec/block-codec.ts";
import { toHex } from "../../consensus/crypto/hash.ts";
import { baseFeePerGas } from "../../consensus/execution/fees.ts";
import { proveAccount } from "../../consensus/state/account-proof.ts";
import { getAccount, getValidatorRecord } from "../../consensus/state/state-access.ts";
import type { Address, Block, Hash } from "../../consensus/types.ts";
import type { Mempool } from "../mempool/mempool.ts";
import type { PendingTransaction, RpcAccountProof, RpcBackend, RpcBlock, SubmitResult, SyncStatus, TransactionLocation } from "../rpc/rpc-backend.ts";
import type { ChainApp } from "./chain-app.ts";
import type { ChainStore } from "./chain-store.ts";

export interface NodeViews {
  status(): unknown;
  validators(): unknown;
  peers(): unknown;
  peerCount(): number;
  syncing(): SyncStatus;
  /** After the mempool accepted a transaction: gossip it to peers. */
  accepted(raw: Uint8Array): void;
}

/** Newest finalized blocks kept in memory for RPC (older ones are read from the chain store). */
const RECENT_BLOCKS_MAX = 64;

export class NodeRpcBackend implements RpcBackend {
  readonly clientVersion: string;
  private readonly recent = new Map<number, RpcBlock>();
  private readonly byHash = new Map<string, number>();
  private readonly listeners = new Set<(block: RpcBlock) => void>();

  constructor(
    readonly chainId: bigint,
    private readonly app: ChainApp,
    private readonly chain: ChainStore,
    private readonly mempool: Mempool,
    private readonly views: NodeViews,
    version: string,
  ) {
    this.clientVersion = `xdpchain/v${version}/${process.platform}-${process.arch}/node${process.versions.node.split(".")[0]}`;
  }

  /** Called by the node for every committed block, in height order. */
  committed(block: Block, hash: Hash, receipts: RpcBlock["receipts"]): void {
    const entry: RpcBlock = { block, hash, receipts, baseFeePerGas: baseFeePerGas(this.app.params), miner: this.operatorOf(block) };
    const height = block.header.height;
    this.recent.set(height, entry);
    this.byHash.set(toHex(hash), height);
    const old = this.recent.get(height - RECENT_BLOCKS_MAX);
    if (old) {
      this.recent.delete(height - RECENT_BLOCKS_MAX);
      this.byHash.delete(toHex(old.hash));
    }
    for (const listener of this.listeners) listener(entry);
  }

  headHeight(): number {
    return this.app.committed.height;
  }

  async blockByHeight(height: number): Promise<RpcBlock | undefined> {
    if (height > this.app.committed.height || height < 1) return undefined;
    const cached = this.recent.get(height);
    if (cached) return cached;
    const block = await this.chain.loadBlockAtHeight(height);
    if (!block) return undefined;
    const receipts = (await this.chain.loadReceipts(height)) ?? [];
    return { block, hash: blockHash(block.header), receipts, baseFeePerGas: baseFeePerGas(this.app.params), miner: this.operatorOf(block) };
  }

  async blockByHash(hash: Hash): Promise<RpcBlock | undefined> {
    const height = this.byHash.get(toHex(hash));
    if (height !== undefined) return this.recent.get(height);
    const block = await this.chain.loadBlock(hash);
    if (!block || block.header.height > this.app.committed.height) return undefined;
    const finalized = await this.chain.loadHashAtHeight(block.header.height);
    if (!finalized || toHex(finalized) !== toHex(hash)) return undefined;
    return this.blockByHeight(block.header.height);
  }

  findTransaction(hash: Hash): Promise<TransactionLocation | undefined> {
    return this.chain.loadLocation(hash);
  }

  pendingTransaction(hash: Hash): PendingTransaction | undefined {
    const raw = this.mempool.get(hash);
    if (!raw) return undefined;
    const from = this.mempool.knownSender(hash);
    return from ? { raw, from } : undefined;
  }

  account(address: Address): { balance: bigint; nonce: bigint } {
    const a = getAccount(this.app.committed.state, address);
    return { balance: a.balance, nonce: a.nonce };
  }

  pendingNonce(address: Address): bigint {
    return this.mempool.pendingNonce(address);
  }

  submitTransaction(raw: Uint8Array): SubmitResult {
    const result = this.mempool.add(raw);
    if (!result.ok) return { ok: false, code: result.code, message: result.message };
    this.views.accepted(raw);
    return { ok: true, hash: result.hash };
  }

  baseFeePerGas(): bigint {
    return baseFeePerGas(this.app.params);
  }

  suggestedTipPerGas(): bigint {
    return 1_000_000_000n;
  }

  blockGasLimit(): bigint {
    return this.app.params.blockGasLimit;
  }

  syncing(): SyncStatus {
    return this.views.syncing();
  }

  peerCount(): number {
    return this.views.peerCount();
  }

  status(): unknown {
    return this.views.status();
  }

  validators(): unknown {
    return this.views.validators();
  }

  peers(): unknown {
    return this.views.peers();
  }

  accountProof(address: Address): RpcAccountProof | undefined {
    const head = this.recent.get(this.app.committed.height);
    if (!head) return undefined;
    const { account, proof } = proveAccount(this.app.committed.state, address);
    return { header: head.block.header, balance: account.balance, nonce: account.nonce, proof };
  }

  onNewHead(listener: (block: RpcBlock) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private operatorOf(block: Block): Address | undefined {
    return getValidatorRecord(this.app.committed.state, block.header.proposer)?.operator;
  }
}
