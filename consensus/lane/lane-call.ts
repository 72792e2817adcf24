// The order lane's system call: a wallet transaction to LANE_ADDRESS whose data is one fixed-size operation.
// Like the staking call (execution/staking-call.ts) this is not the Solidity ABI: a one-byte opcode and fixed
// big-endian fields, exact lengths. Any wallet that can put bytes in `data` (viem, ethers, MetaMask) can send it.
//   0x01 REGISTER_KEY  key(32)        value = 0; the sender's orders may be signed by this ed25519 key
//   0x02 REVOKE_KEY    key(32)        value = 0; orders signed by it stop executing from the next action on
//   0x03 DEPOSIT                      value = amount in wei, a whole number of quote units (WEI_PER_QUOTE)
//   0x04 WITHDRAW      amount(u256)   value = 0; amount in quote units back to the native balance
// Native tokens move into the LANE_ADDRESS balance on deposit and out of it on withdrawal, so the escrow always
// holds what the engine's collateral, fees and insurance add up to. Refusals revert (fees and nonce stand).

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import { bytesEqual, fromHex } from "../crypto/hash.ts";
import type { Address, PublicKey } from "../types.ts";

/** The lane system address: 0x0000000000000000000000000000000000000200. Its balance is the engine's escrow. */
export const LANE_ADDRESS: Address = fromHex("0000000000000000000000000000000000000200");

/**
 * Engine money is in quote units with 6 decimals (derivatives/market.ts); the native token has 18. One quote
 * unit is 10^12 wei: the devnet's native token doubles as the collateral asset at par.
 */
export const WEI_PER_QUOTE = 10n ** 12n;

export const LaneOp = { RegisterKey: 1, RevokeKey: 2, Deposit: 3, Withdraw: 4 } as const;
export type LaneOp = (typeof LaneOp)[keyof typeof LaneOp];
const LANE_OPS: readonly LaneOp[] = [LaneOp.RegisterKey, LaneOp.RevokeKey, LaneOp.Deposit, LaneOp.Withdraw];

export type LaneCall =
  | { op: typeof LaneOp.RegisterKey; tradingKey: PublicKey }
  | { op: typeof LaneOp.RevokeKey; tradingKey: PublicKey }
  | { op: typeof LaneOp.Deposit }
  | { op: typeof LaneOp.Withdraw; amountQuote: bigint };

export const LANE_CALL_BYTES = { [LaneOp.RegisterKey]: 33, [LaneOp.RevokeKey]: 33, [LaneOp.Deposit]: 1, [LaneOp.Withdraw]: 33 } as const;

export function isLaneAddress(to: Address): boolean {
  return bytesEqual(to, LANE_ADDRESS);
}

export function encodeLaneCall(call: LaneCall): Uint8Array {
  const w = new ByteWriter(LANE_CALL_BYTES[call.op]).u8(call.op);
  if (call.op === LaneOp.RegisterKey || call.op === LaneOp.RevokeKey) w.fixed(call.tradingKey, 32);
  if (call.op === LaneOp.Withdraw) w.u256(call.amountQuote);
  return w.finish();
}

export function decodeLaneCall(data: Uint8Array): DecodeResult<LaneCall> {
  return decodeWith(() => {
    const r = new ByteReader(data);
    const op = r.tag(LANE_OPS, "lane op");
    if (data.length !== LANE_CALL_BYTES[op]) {
      throw new CodecError("CODEC_ERROR_BAD_VALUE", 0, `lane op ${op} takes ${LANE_CALL_BYTES[op]} bytes, got ${data.length}`);
    }
    let call: LaneCall;
    if (op === LaneOp.RegisterKey || op === LaneOp.RevokeKey) call = { op, tradingKey: r.fixed(32, "trading key") };
    else if (op === LaneOp.Withdraw) call = { op, amountQuote: r.u256("amount") };
    else call = { op };
    r.end("lane call");
    return call;
  });
}
