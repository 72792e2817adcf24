// Transaction receipts: what eth_getTransactionReceipt reports. There is no EVM, so logs are always empty and
// not stored. A reverted staking call keeps its STAKING_ERROR code (ASCII, at most 64 bytes) for the RPC to show.
// Encoding: txHash(32) from(20) hasTo(1) to(20)? status(1) gasUsed(u64) cumulativeGasUsed(u64)
//           effectiveGasPrice(u256) revertCode(bytes).

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import type { Address, Hash } from "../types.ts";

export const REVERT_CODE_BYTES_MAX = 64;

export interface Receipt {
  transactionHash: Hash;
  from: Address;
  to: Address | null;
  status: 0 | 1;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  revertCode: string | null;
}

export function encodeReceipt(r: Receipt): Uint8Array {
  const w = new ByteWriter(180).fixed(r.transactionHash, 32).fixed(r.from, 20).bool(r.to !== null);
  if (r.to) w.fixed(r.to, 20);
  w.u8(r.status).u64n(r.gasUsed).u64n(r.cumulativeGasUsed).u256(r.effectiveGasPrice);
  const code = new TextEncoder().encode(r.revertCode ?? "");
  if (code.length > REVERT_CODE_BYTES_MAX) throw new RangeError("revert code too long");
  w.bytes(code);
  return w.finish();
}

export function decodeReceipt(bytes: Uint8Array): DecodeResult<Receipt> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const transactionHash = r.fixed(32, "transaction hash");
    const from = r.fixed(20, "from");
    const to = r.bool("has to") ? r.fixed(20, "to") : null;
    const at = r.position;
    const status = r.u8("status");
    if (status > 1) throw new CodecError("CODEC_ERROR_BAD_VALUE", at, "status must be 0 or 1");
    const gasUsed = r.u64n("gas used");
    const cumulativeGasUsed = r.u64n("cumulative gas used");
    const effectiveGasPrice = r.u256("effective gas price");
    const codeAt = r.position;
    const codeBytes = r.bytes(REVERT_CODE_BYTES_MAX, "revert code");
    if (codeBytes.some((b) => b < 0x20 || b > 0x7e)) throw new CodecError("CODEC_ERROR_BAD_VALUE", codeAt, "revert code must be printable ASCII");
    r.end("receipt");
    const revertCode = codeBytes.length === 0 ? null : new TextDecoder().decode(codeBytes);
    return { transactionHash, from, to, status: status as 0 | 1, gasUsed, cumulativeGasUsed, effectiveGasPrice, revertCode };
  });
}
