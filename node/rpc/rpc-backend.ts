// What the JSON-RPC server needs from a validator node: the finalized chain, the finalized world state, the
// mempool and node status. The node implements it; tests use an in-memory fake. Reads of in-memory state are
// synchronous; only block-store reads are async. Not here: JSON formatting, hex, or any protocol concern.
// Every method may throw; the server answers -32603 and logs, it never crashes on a backend failure.

import type { Receipt } from "../../consensus/execution/receipt.ts";
import type { StateProof } from "../../consensus/state/state-proof.ts";
import type { Address, Block, BlockHeader, Hash } from "../../consensus/types.ts";

/** A finalized block with what execution produced for it. */
export interface RpcBlock {
  block: Block;
  /** blockHash(block.header). */
  hash: Hash;
  /** receipts[i] belongs to block.transactions[i]; same length. */
  receipts: Receipt[];
  /** Base fee per gas this block charged. */
  baseFeePerGas: bigint;
  /** The proposer's operator account (where tips go); shown as `miner`. Zero address when unknown. */
  miner?: Address;
}

/** Where a finalized transaction sits. */
export interface TransactionLocation {
  height: number;
  index: number;
}

export interface PendingTransaction {
  raw: Uint8Array;
  from: Address;
}

/**
 * Outcome of offering a raw transaction to the mempool. `code` is a TX_ERROR_* or mempool code; `message` must
 * begin with go-ethereum's wording (TX_ERROR_MESSAGES in consensus/execution/tx-errors.ts, or e.g. "already known",
 * "replacement transaction underpriced", "txpool is full") because viem and ethers classify errors by it.
 */
export type SubmitResult = { ok: true; hash: Hash } | { ok: false; code: string; message: string };

export type SyncStatus = false | { startingBlock: number; currentBlock: number; highestBlock: number };

export interface RpcAccountProof {
  /** The finalized header whose stateRoot the proof is against. */
  header: BlockHeader;
  balance: bigint;
  nonce: bigint;
  proof: StateProof;
}

export interface RpcBackend {
  readonly chainId: bigint;
  /** web3_clientVersion, e.g. "xdpchain/v0.1.0/linux-x64/node20". */
  readonly clientVersion: string;

  /** Height of the last finalized block (`latest`, `safe` and `finalized` all name it). */
  headHeight(): number;
  /** A finalized block by height; undefined above the head or where no block is kept (height 0 may be absent). */
  blockByHeight(height: number): Promise<RpcBlock | undefined>;
  /** A finalized block by hash; undefined when unknown or not finalized. */
  blockByHash(hash: Hash): Promise<RpcBlock | undefined>;
  /** A finalized transaction's place in the chain, from a transaction-hash index. */
  findTransaction(hash: Hash): Promise<TransactionLocation | undefined>;
  /** A transaction still in the mempool. */
  pendingTransaction(hash: Hash): PendingTransaction | undefined;

  /** Balance and nonce at the finalized head (zero for an absent account). */
  account(address: Address): { balance: bigint; nonce: bigint };
  /** The next nonce counting the sender's transactions in the mempool (`pending`). */
  pendingNonce(address: Address): bigint;
  /** Hands raw bytes to the mempool. Synchronous or async (e.g. signature recovery on a worker). */
  submitTransaction(raw: Uint8Array): SubmitResult | Promise<SubmitResult>;

  /** Base fee per gas of the next block. */
  baseFeePerGas(): bigint;
  /** Tip per gas that gets a transaction into the next blocks (eth_maxPriorityFeePerGas). */
  suggestedTipPerGas(): bigint;
  blockGasLimit(): bigint;

  syncing(): SyncStatus;
  peerCount(): number;
  /** xdp_status, xdp_validators, xdp_peers: JSON-serialisable values (no bigint, no Uint8Array). */
  status(): unknown;
  validators(): unknown;
  peers(): unknown;
  /** Proof of an account against the finalized head's state root; undefined when the node cannot prove. */
  accountProof(address: Address): RpcAccountProof | undefined;

  /** Calls `listener` once per newly finalized block, in height order. Returns the unsubscribe function. */
  onNewHead(listener: (block: RpcBlock) => void): () => void;
}
