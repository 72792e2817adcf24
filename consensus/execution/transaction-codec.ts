// Signed Ethereum transactions: legacy RLP with EIP-155 v, and EIP-2718 envelopes of type 0x01 (EIP-2930) and
// 0x02 (EIP-1559). Decoding is strict (canonical RLP and scalars, exact field counts, size limit first) and
// computes the transaction hash and the signing hash from the original bytes. It checks shape only: chain id,
// signature ranges and policy belong to prepare-transaction.ts. Unprotected legacy (v = 27/28) is refused here.

import { CodecError } from "../codec/codec-error.ts";
import { fastKeccak256, keccak256Parts } from "../crypto/keccak256.ts";
import { LIMITS } from "../types.ts";
import {
  type RlpInput,
  type RlpItem,
  type RlpList,
  bigintToMinimalBytes,
  bytesToBigint,
  decodeRlp,
  encodeRlp,
  rlpListHeader,
} from "./rlp.ts";
import {
  type AccessListEntry,
  type DecodedTransaction,
  type SignedTransaction,
  TxType,
  type UnsignedTransaction,
} from "./transaction.ts";
import { type TxErrorCode, type TxResult, txError } from "./tx-errors.ts";

/** Nesting: transaction list > access list > entry > storage keys. */
const RLP_LIMITS = { maxDepth: 4, maxItems: 4096 } as const;

class TxRefusal extends Error {
  constructor(
    readonly code: TxErrorCode,
    detail: string,
  ) {
    super(detail);
  }
}

function bytesItem(item: RlpItem | undefined, what: string): Uint8Array {
  if (!item || item.kind !== "bytes") throw new TxRefusal("TX_ERROR_MALFORMED", `${what} must be an RLP string`);
  return item.value;
}

function listItem(item: RlpItem | undefined, what: string): RlpList {
  if (!item || item.kind !== "list") throw new TxRefusal("TX_ERROR_MALFORMED", `${what} must be an RLP list`);
  return item;
}

/** A canonical RLP scalar of at most maxBytes bytes: no leading zero byte (zero is the empty string). */
function scalarBytes(item: RlpItem | undefined, maxBytes: number, what: string): Uint8Array {
  const v = bytesItem(item, what);
  if (v.length > maxBytes) throw new TxRefusal("TX_ERROR_MALFORMED", `${what} longer than ${maxBytes} bytes`);
  if (v.length > 0 && v[0] === 0) throw new TxRefusal("TX_ERROR_NON_CANONICAL", `${what} has a leading zero byte`);
  return v;
}

function scalar(item: RlpItem | undefined, maxBytes: number, what: string): bigint {
  return bytesToBigint(scalarBytes(item, maxBytes, what));
}

function word32(item: RlpItem | undefined, what: string): Uint8Array {
  const v = scalarBytes(item, 32, what);
  const out = new Uint8Array(32);
  out.set(v, 32 - v.length);
  return out;
}

function readTo(item: RlpItem | undefined): Uint8Array | null {
  const v = bytesItem(item, "to");
  if (v.length === 0) return null;
  if (v.length !== 20) throw new TxRefusal("TX_ERROR_MALFORMED", `to must be 20 bytes or empty, got ${v.length}`);
  return v.slice();
}

function readAccessList(item: RlpItem | undefined): AccessListEntry[] {
  return listItem(item, "access list").items.map((e) => {
    const entry = listItem(e, "access list entry");
    if (entry.items.length !== 2) throw new TxRefusal("TX_ERROR_MALFORMED", "access list entry must have 2 fields");
    const address = bytesItem(entry.items[0], "access list address");
    if (address.length !== 20) throw new TxRefusal("TX_ERROR_MALFORMED", "access list address must be 20 bytes");
    const storageKeys = listItem(entry.items[1], "storage keys").items.map((k) => {
      const key = bytesItem(k, "storage key");
      if (key.length !== 32) throw new TxRefusal("TX_ERROR_MALFORMED", "storage key must be 32 bytes");
      return key.slice();
    });
    return { address: address.slice(), storageKeys };
  });
}

function readParity(item: RlpItem | undefined): 0 | 1 {
  const v = scalar(item, 1, "y parity");
  if (v > 1n) throw new TxRefusal("TX_ERROR_INVALID_SIGNATURE", "y parity must be 0 or 1");
  return Number(v) as 0 | 1;
}

function decodeLegacy(raw: Uint8Array, list: RlpList): DecodedTransaction {
  const f = list.items;
  if (f.length !== 9) throw new TxRefusal("TX_ERROR_MALFORMED", `legacy transaction has ${f.length} fields, expected 9`);
  const gasPrice = scalar(f[1], 32, "gas price");
  const v = scalar(f[6], 32, "v");
  if (v === 27n || v === 28n) throw new TxRefusal("TX_ERROR_MISSING_CHAIN_ID", "legacy transaction without EIP-155 chain id");
  if (v < 35n) throw new TxRefusal("TX_ERROR_INVALID_SIGNATURE", `legacy v ${v} is neither 27/28 nor EIP-155`);
  const chainId = (v - 35n) / 2n;
  const tx: SignedTransaction = {
    type: TxType.Legacy,
    chainId,
    nonce: scalar(f[0], 8, "nonce"),
    maxPriorityFeePerGas: gasPrice,
    maxFeePerGas: gasPrice,
    gasLimit: scalar(f[2], 8, "gas limit"),
    to: readTo(f[3]),
    value: scalar(f[4], 32, "value"),
    data: bytesItem(f[5], "data").slice(),
    accessList: [],
    yParity: Number((v - 35n) % 2n) as 0 | 1,
    r: word32(f[7], "r"),
    s: word32(f[8], "s"),
  };
  // EIP-155 signing payload: the first six fields as sent, then chainId, 0, 0.
  const six = raw.subarray(f[0]!.start, f[5]!.end);
  const tail = encodeRlp([bigintToMinimalBytes(chainId), new Uint8Array(0), new Uint8Array(0)]).subarray(1);
  const signingHash = keccak256Parts([rlpListHeader(six.length + tail.length), six, tail]);
  return { tx, hash: fastKeccak256(raw), signingHash };
}

function decodeTyped(raw: Uint8Array, type: 1 | 2, list: RlpList): DecodedTransaction {
  const f = list.items;
  const expected = type === TxType.DynamicFee ? 12 : 11;
  if (f.length !== expected) {
    throw new TxRefusal("TX_ERROR_MALFORMED", `type ${type} transaction has ${f.length} fields, expected ${expected}`);
  }
  const d = type === TxType.DynamicFee ? 1 : 0; // one extra fee field shifts the rest
  const tip = scalar(f[2], 32, "max priority fee per gas");
  const cap = type === TxType.DynamicFee ? scalar(f[3], 32, "max fee per gas") : tip;
  const tx: SignedTransaction = {
    type,
    chainId: scalar(f[0], 32, "chain id"),
    nonce: scalar(f[1], 8, "nonce"),
    maxPriorityFeePerGas: tip,
    maxFeePerGas: cap,
    gasLimit: scalar(f[3 + d], 8, "gas limit"),
    to: readTo(f[4 + d]),
    value: scalar(f[5 + d], 32, "value"),
    data: bytesItem(f[6 + d], "data").slice(),
    accessList: readAccessList(f[7 + d]),
    yParity: readParity(f[8 + d]),
    r: word32(f[9 + d], "r"),
    s: word32(f[10 + d], "s"),
  };
  // Spans are relative to the RLP body, which starts after the type byte.
  const unsigned = raw.subarray(1 + f[0]!.start, 1 + f[7 + d]!.end);
  const signingHash = keccak256Parts([Uint8Array.of(type), rlpListHeader(unsigned.length), unsigned]);
  return { tx, hash: fastKeccak256(raw), signingHash };
}

/** Decodes raw transaction bytes as they travel (eth_sendRawTransaction, block bodies). Never throws. */
export function decodeTransaction(raw: Uint8Array): TxResult<DecodedTransaction> {
  if (raw.length > LIMITS.maxTransactionBytes) {
    return txError("TX_ERROR_TOO_LARGE", `${raw.length} bytes exceeds ${LIMITS.maxTransactionBytes}`);
  }
  if (raw.length === 0) return txError("TX_ERROR_MALFORMED", "empty transaction");
  const first = raw[0]!;
  try {
    if (first >= 0xc0) return { ok: true, value: decodeLegacy(raw, listItem(decodeRlp(raw, RLP_LIMITS), "transaction")) };
    if (first === TxType.AccessList || first === TxType.DynamicFee) {
      const body = decodeRlp(raw.subarray(1), RLP_LIMITS);
      return { ok: true, value: decodeTyped(raw, first, listItem(body, "transaction")) };
    }
    if (first < 0x80) return txError("TX_ERROR_UNSUPPORTED_TYPE", `transaction type ${first} is not supported`);
    return txError("TX_ERROR_MALFORMED", "a transaction is an RLP list or a typed envelope");
  } catch (err) {
    if (err instanceof TxRefusal) return txError(err.code, err.message);
    if (err instanceof CodecError) {
      return txError(err.code === "CODEC_ERROR_NON_CANONICAL" ? "TX_ERROR_NON_CANONICAL" : "TX_ERROR_MALFORMED", err.message);
    }
    throw err;
  }
}

function stripWord(word: Uint8Array): Uint8Array {
  let i = 0;
  while (i < word.length && word[i] === 0) i++;
  return word.subarray(i);
}

function unsignedFields(tx: UnsignedTransaction): RlpInput[] {
  const n = bigintToMinimalBytes;
  const common: RlpInput[] = [n(tx.gasLimit), tx.to ?? new Uint8Array(0), n(tx.value), tx.data];
  if (tx.type === TxType.Legacy) return [n(tx.nonce), n(tx.maxFeePerGas), ...common];
  const access: RlpInput = tx.accessList.map((e) => [e.address, e.storageKeys]);
  const fees = tx.type === TxType.DynamicFee ? [n(tx.maxPriorityFeePerGas), n(tx.maxFeePerGas)] : [n(tx.maxFeePerGas)];
  return [n(tx.chainId), n(tx.nonce), ...fees, ...common, access];
}

function assertSingleGasPrice(tx: UnsignedTransaction): void {
  if (tx.type !== TxType.DynamicFee && tx.maxPriorityFeePerGas !== tx.maxFeePerGas) {
    throw new RangeError("legacy and access-list transactions have one gas price: both fee fields must be equal");
  }
  if (tx.type === TxType.Legacy && tx.accessList.length > 0) throw new RangeError("legacy transactions have no access list");
}

/** The bytes a sender signs (hashed with keccak256): EIP-155 payload for legacy, type || rlp(fields) otherwise. */
export function transactionSigningPayload(tx: UnsignedTransaction): Uint8Array {
  assertSingleGasPrice(tx);
  const fields = unsignedFields(tx);
  if (tx.type === TxType.Legacy) {
    return encodeRlp([...fields, bigintToMinimalBytes(tx.chainId), new Uint8Array(0), new Uint8Array(0)]);
  }
  const body = encodeRlp(fields);
  const out = new Uint8Array(body.length + 1);
  out[0] = tx.type;
  out.set(body, 1);
  return out;
}

export function transactionSigningHash(tx: UnsignedTransaction): Uint8Array {
  return fastKeccak256(transactionSigningPayload(tx));
}

/** The canonical raw bytes of a signed transaction (what eth_sendRawTransaction carries). */
export function encodeTransaction(tx: SignedTransaction): Uint8Array {
  assertSingleGasPrice(tx);
  const sig = [stripWord(tx.r), stripWord(tx.s)];
  const fields = unsignedFields(tx);
  if (tx.type === TxType.Legacy) {
    const v = tx.chainId * 2n + 35n + BigInt(tx.yParity);
    return encodeRlp([...fields, bigintToMinimalBytes(v), ...sig]);
  }
  const body = encodeRlp([...fields, bigintToMinimalBytes(BigInt(tx.yParity)), ...sig]);
  const out = new Uint8Array(body.length + 1);
  out[0] = tx.type;
  out.set(body, 1);
  return out;
}
