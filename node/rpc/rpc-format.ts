// Blocks, transactions and receipts as Ethereum JSON-RPC prints them (execution-apis schemas), so viem and ethers
// parse them unchanged. Fields with no meaning here get their post-merge constants (difficulty 0, empty uncles,
// zero bloom). Chain-specific header fields (view, proposer, evidenceRoot, laneRoot) are added beside them.
// Not here: looking anything up; callers pass what the backend returned.

import { encodeBlock } from "../../consensus/codec/block-codec.ts";
import { ZERO_HASH } from "../../consensus/crypto/hash.ts";
import { type Receipt, encodeReceipt } from "../../consensus/execution/receipt.ts";
import { decodeTransaction } from "../../consensus/execution/transaction-codec.ts";
import { type DecodedTransaction, TxType } from "../../consensus/execution/transaction.ts";
import { merkleRoot } from "../../consensus/merkle.ts";
import type { Address, Hash } from "../../consensus/types.ts";
import { formatAddress, formatData, formatQuantity } from "./hex.ts";
import type { RpcBlock } from "./rpc-backend.ts";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** keccak256(rlp([])): the uncles hash of a block without uncles. */
const EMPTY_UNCLES_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";
const ZERO_BLOOM = formatData(new Uint8Array(256));
const ZERO_ADDRESS = new Uint8Array(20);
const ZERO_NONCE = "0x0000000000000000";

export interface TxPlace {
  blockHash: Hash;
  blockNumber: number;
  index: number;
}

/** Decodes a transaction that already passed the mempool or a block; failure here is a broken invariant. */
export function decodeKnownTransaction(raw: Uint8Array): DecodedTransaction {
  const decoded = decodeTransaction(raw);
  if (!decoded.ok) throw new Error(`stored transaction does not decode: ${decoded.code} ${decoded.detail}`);
  return decoded.value;
}

function formatTo(to: Address | null): string | null {
  return to === null ? null : formatAddress(to);
}

/** A transaction object; `place` and `receipt` are absent while it is pending. */
export function formatTransaction(decoded: DecodedTransaction, from: Address, place?: TxPlace, receipt?: Receipt): Json {
  const { tx, hash } = decoded;
  const out: Record<string, Json> = {
    blockHash: place ? formatData(place.blockHash) : null,
    blockNumber: place ? formatQuantity(place.blockNumber) : null,
    transactionIndex: place ? formatQuantity(place.index) : null,
    hash: formatData(hash),
    type: formatQuantity(tx.type),
    chainId: formatQuantity(tx.chainId),
    from: formatAddress(from),
    to: formatTo(tx.to),
    nonce: formatQuantity(tx.nonce),
    gas: formatQuantity(tx.gasLimit),
    gasPrice: formatQuantity(receipt ? receipt.effectiveGasPrice : tx.maxFeePerGas),
    value: formatQuantity(tx.value),
    input: formatData(tx.data),
  };
  if (tx.type === TxType.DynamicFee) {
    out.maxFeePerGas = formatQuantity(tx.maxFeePerGas);
    out.maxPriorityFeePerGas = formatQuantity(tx.maxPriorityFeePerGas);
  }
  if (tx.type !== TxType.Legacy) {
    out.accessList = tx.accessList.map((e) => ({ address: formatAddress(e.address), storageKeys: e.storageKeys.map(formatData) }));
    out.yParity = formatQuantity(tx.yParity);
  }
  const v = tx.type === TxType.Legacy ? tx.chainId * 2n + 35n + BigInt(tx.yParity) : BigInt(tx.yParity);
  out.v = formatQuantity(v);
  out.r = formatQuantity(BigInt(formatData(tx.r)));
  out.s = formatQuantity(BigInt(formatData(tx.s)));
  return out;
}

export function formatReceipt(receipt: Receipt, txType: number, place: TxPlace): Json {
  const out: Record<string, Json> = {
    transactionHash: formatData(receipt.transactionHash),
    transactionIndex: formatQuantity(place.index),
    blockHash: formatData(place.blockHash),
    blockNumber: formatQuantity(place.blockNumber),
    from: formatAddress(receipt.from),
    to: formatTo(receipt.to),
    cumulativeGasUsed: formatQuantity(receipt.cumulativeGasUsed),
    gasUsed: formatQuantity(receipt.gasUsed),
    effectiveGasPrice: formatQuantity(receipt.effectiveGasPrice),
    contractAddress: null,
    logs: [],
    logsBloom: ZERO_BLOOM,
    status: formatQuantity(receipt.status),
    type: formatQuantity(txType),
  };
  if (receipt.revertCode !== null) out.revertReason = receipt.revertCode;
  return out;
}

export function blockGasUsed(b: RpcBlock): bigint {
  let gas = 0n;
  for (const r of b.receipts) gas += r.gasUsed;
  return gas;
}

/** The header fields (what eth_subscribe newHeads sends). */
export function formatHeader(b: RpcBlock, gasLimit: bigint): Record<string, Json> {
  const h = b.block.header;
  return {
    number: formatQuantity(h.height),
    hash: formatData(b.hash),
    parentHash: formatData(h.parentHash),
    nonce: ZERO_NONCE,
    mixHash: formatData(ZERO_HASH),
    sha3Uncles: EMPTY_UNCLES_HASH,
    logsBloom: ZERO_BLOOM,
    transactionsRoot: formatData(h.transactionsRoot),
    stateRoot: formatData(h.stateRoot),
    // Receipts are not committed in the header; this root over their encodings lets clients compare nodes.
    receiptsRoot: formatData(merkleRoot(b.receipts.map(encodeReceipt))),
    miner: formatAddress(b.miner ?? ZERO_ADDRESS),
    difficulty: "0x0",
    extraData: "0x",
    gasLimit: formatQuantity(gasLimit),
    gasUsed: formatQuantity(blockGasUsed(b)),
    timestamp: formatQuantity(Math.floor(h.timestampMs / 1000)),
    baseFeePerGas: formatQuantity(b.baseFeePerGas),
    view: formatQuantity(h.view),
    proposer: formatData(h.proposer),
    evidenceRoot: formatData(h.evidenceRoot),
    laneRoot: formatData(h.laneRoot),
  };
}

/** A whole block with transaction hashes or, when `full`, transaction objects. */
export function formatBlock(b: RpcBlock, full: boolean, gasLimit: bigint): Json {
  const txs = b.block.transactions;
  if (b.receipts.length !== txs.length) throw new Error(`block ${b.block.header.height}: ${b.receipts.length} receipts for ${txs.length} transactions`);
  const place = (index: number): TxPlace => ({ blockHash: b.hash, blockNumber: b.block.header.height, index });
  const transactions: Json[] = full
    ? txs.map((raw, i) => formatTransaction(decodeKnownTransaction(raw), b.receipts[i]!.from, place(i), b.receipts[i]))
    : b.receipts.map((r) => formatData(r.transactionHash));
  return {
    ...formatHeader(b, gasLimit),
    totalDifficulty: "0x0",
    size: formatQuantity(encodeBlock(b.block).length),
    transactions,
    uncles: [],
  };
}

