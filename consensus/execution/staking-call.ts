// The staking system call: a transaction to STAKING_ADDRESS whose data is one fixed-size binary operation.
// This is not the Solidity ABI; it is a one-byte opcode followed by fixed fields (big-endian), exact lengths:
//   0x01 BOND    key(32) proof(64)   value = amount bonded; proof = ed25519 signature by `key` over
//                                    tag("validator-registration") || chainId(u64) || key || operator(20)
//   0x02 UNBOND  key(32) amount(u256) value = 0; amount leaves bonded stake, returns after the unbonding period
//   0x03 UNJAIL  key(32)             value = 0; allowed once the jail period has passed
// Unbonded stake is released to the operator automatically at its release height (no withdraw call).

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import { withDomain } from "../crypto/domains.ts";
import { bytesEqual, fromHex } from "../crypto/hash.ts";
import type { Address, PublicKey, Signature } from "../types.ts";

/** The staking system address: 0x0000000000000000000000000000000000000100. It holds no balance. */
export const STAKING_ADDRESS: Address = fromHex("0000000000000000000000000000000000000100");

export const StakingOp = { Bond: 1, Unbond: 2, Unjail: 3 } as const;
export type StakingOp = (typeof StakingOp)[keyof typeof StakingOp];
const STAKING_OPS: readonly StakingOp[] = [StakingOp.Bond, StakingOp.Unbond, StakingOp.Unjail];

export type StakingCall =
  | { op: typeof StakingOp.Bond; publicKey: PublicKey; proof: Signature }
  | { op: typeof StakingOp.Unbond; publicKey: PublicKey; amount: bigint }
  | { op: typeof StakingOp.Unjail; publicKey: PublicKey };

export const STAKING_CALL_BYTES = { [StakingOp.Bond]: 97, [StakingOp.Unbond]: 65, [StakingOp.Unjail]: 33 } as const;

export function isStakingAddress(to: Address): boolean {
  return bytesEqual(to, STAKING_ADDRESS);
}

export function encodeStakingCall(call: StakingCall): Uint8Array {
  const w = new ByteWriter(STAKING_CALL_BYTES[call.op]).u8(call.op).fixed(call.publicKey, 32);
  if (call.op === StakingOp.Bond) w.fixed(call.proof, 64);
  if (call.op === StakingOp.Unbond) w.u256(call.amount);
  return w.finish();
}

export function decodeStakingCall(data: Uint8Array): DecodeResult<StakingCall> {
  return decodeWith(() => {
    const r = new ByteReader(data);
    const op = r.tag(STAKING_OPS, "staking op");
    if (data.length !== STAKING_CALL_BYTES[op]) {
      throw new CodecError("CODEC_ERROR_BAD_VALUE", 0, `staking op ${op} takes ${STAKING_CALL_BYTES[op]} bytes, got ${data.length}`);
    }
    const publicKey = r.fixed(32, "validator key");
    let call: StakingCall;
    if (op === StakingOp.Bond) call = { op, publicKey, proof: r.fixed(64, "registration proof") };
    else if (op === StakingOp.Unbond) call = { op, publicKey, amount: r.u256("amount") };
    else call = { op, publicKey };
    r.end("staking call");
    return call;
  });
}

/** What a validator key signs to consent to being bonded by `operator` on `chainId`. */
export function registrationSigningBytes(chainId: bigint, publicKey: PublicKey, operator: Address): Uint8Array {
  return withDomain("validatorRegistration", new ByteWriter(60).u64n(chainId).fixed(publicKey, 32).fixed(operator, 20).finish());
}
