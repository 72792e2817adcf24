// The transaction-call object of eth_call and eth_estimateGas (execution-apis GenericTransaction): strict field
// checks, then gas estimation under this chain's fixed-gas rules (fees.ts): 21000 for a transfer, 50000 for a
// staking call, plus access-list gas. Data to any other address and contract creation get a clear -32000.
// Unknown fields are ignored, as go-ethereum does; known fields with a wrong type are -32602.

import { decodeLaneCall, isLaneAddress } from "../../consensus/lane/lane-call.ts";
import { bytesEqual } from "../../consensus/crypto/hash.ts";
import { ACCESS_LIST_ADDRESS_GAS, ACCESS_LIST_STORAGE_KEY_GAS, STAKING_CALL_GAS, TRANSFER_GAS } from "../../consensus/execution/fees.ts";
import { decodeStakingCall, isStakingAddress } from "../../consensus/execution/staking-call.ts";
import { TX_ERROR_MESSAGES } from "../../consensus/execution/tx-errors.ts";
import { LIMITS, type Address } from "../../consensus/types.ts";
import { type HexResult, parseAddressParam, parseData, parseHash, parseQuantity } from "./hex.ts";
import type { RpcBackend } from "./rpc-backend.ts";
import { RpcError, invalidParams } from "./rpc-error.ts";

export const ACCESS_LIST_ENTRIES_MAX = 1024;
export const ACCESS_LIST_KEYS_MAX = 4096;

export interface CallRequest {
  from?: Address;
  /** null: contract creation (explicit null or absent). */
  to: Address | null;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value: bigint;
  data: Uint8Array;
  chainId?: bigint;
  accessList: { addresses: number; storageKeys: number };
}

function field<T>(o: Record<string, unknown>, key: string, parse: (v: unknown) => HexResult<T>, where: string): T | undefined {
  if (!Object.hasOwn(o, key) || o[key] === null || o[key] === undefined) return undefined;
  const r = parse(o[key]);
  if (!r.ok) throw invalidParams(`${where}: ${key} ${r.reason}`);
  return r.value;
}

function countAccessList(v: unknown, where: string): { addresses: number; storageKeys: number } {
  if (v === undefined || v === null) return { addresses: 0, storageKeys: 0 };
  if (!Array.isArray(v)) throw invalidParams(`${where}: accessList must be an array`);
  if (v.length > ACCESS_LIST_ENTRIES_MAX) throw invalidParams(`${where}: accessList has more than ${ACCESS_LIST_ENTRIES_MAX} entries`);
  let storageKeys = 0;
  for (const e of v) {
    if (typeof e !== "object" || e === null || Array.isArray(e)) throw invalidParams(`${where}: accessList entries must be objects`);
    const entry = e as Record<string, unknown>;
    if (!parseAddressParam(entry.address).ok) throw invalidParams(`${where}: accessList address must be a 20-byte address`);
    const keys = entry.storageKeys;
    if (!Array.isArray(keys)) throw invalidParams(`${where}: accessList storageKeys must be an array`);
    storageKeys += keys.length;
    if (storageKeys > ACCESS_LIST_KEYS_MAX) throw invalidParams(`${where}: accessList has more than ${ACCESS_LIST_KEYS_MAX} storage keys`);
    for (const k of keys) if (!parseHash(k).ok) throw invalidParams(`${where}: accessList storage keys must be 32 bytes`);
  }
  return { addresses: v.length, storageKeys };
}

export function parseCallRequest(params: unknown[], index: number): CallRequest {
  const where = `invalid argument ${index} (transaction)`;
  const v = params[index];
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw invalidParams(`${where}: must be an object`);
  const o = v as Record<string, unknown>;
  const dataBounds = (x: unknown): HexResult<Uint8Array> => parseData(x, { maxBytes: LIMITS.maxTransactionBytes });
  const input = field(o, "input", dataBounds, where);
  const data = field(o, "data", dataBounds, where);
  if (input && data && !bytesEqual(input, data)) throw invalidParams(`${where}: both input and data are set and not equal`);
  const req: CallRequest = {
    to: field(o, "to", parseAddressParam, where) ?? null,
    value: field(o, "value", parseQuantity, where) ?? 0n,
    data: input ?? data ?? new Uint8Array(0),
    accessList: countAccessList(o.accessList, where),
  };
  const from = field(o, "from", parseAddressParam, where);
  if (from) req.from = from;
  for (const key of ["gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "chainId"] as const) {
    const q = field(o, key, parseQuantity, where);
    if (q !== undefined) req[key] = q;
  }
  field(o, "nonce", parseQuantity, where);
  field(o, "type", parseQuantity, where);
  if (req.gasPrice !== undefined && (req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined)) {
    throw invalidParams(`${where}: both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified`);
  }
  return req;
}

function rejected(message: string): RpcError {
  return new RpcError("RPC_ERROR_SERVER", message);
}

/** Gas the transaction would use; throws -32000 for what this chain cannot execute or the sender cannot pay. */
export function estimateGas(req: CallRequest, backend: RpcBackend): bigint {
  if (req.chainId !== undefined && req.chainId !== backend.chainId) throw rejected(TX_ERROR_MESSAGES.TX_ERROR_WRONG_CHAIN_ID);
  if (req.to === null) throw rejected(TX_ERROR_MESSAGES.TX_ERROR_CONTRACT_CREATION_UNSUPPORTED);
  let gas: bigint;
  if (isStakingAddress(req.to)) {
    const call = decodeStakingCall(req.data);
    if (!call.ok) throw rejected(`${TX_ERROR_MESSAGES.TX_ERROR_STAKING_MALFORMED_CALL}: ${call.detail}`);
    gas = STAKING_CALL_GAS;
  } else if (isLaneAddress(req.to)) {
    const call = decodeLaneCall(req.data);
    if (!call.ok) throw rejected(`${TX_ERROR_MESSAGES.TX_ERROR_LANE_MALFORMED_CALL}: ${call.detail}`);
    gas = STAKING_CALL_GAS; // system calls share one fixed price (execution/fees.ts intrinsicGas)
  } else if (req.data.length > 0) {
    throw rejected(TX_ERROR_MESSAGES.TX_ERROR_CONTRACT_CALL_UNSUPPORTED);
  } else {
    gas = TRANSFER_GAS;
  }
  gas += ACCESS_LIST_ADDRESS_GAS * BigInt(req.accessList.addresses) + ACCESS_LIST_STORAGE_KEY_GAS * BigInt(req.accessList.storageKeys);
  if (req.gas !== undefined && req.gas < gas) throw rejected(`${TX_ERROR_MESSAGES.TX_ERROR_INTRINSIC_GAS_TOO_LOW}: have ${req.gas}, want ${gas}`);
  if (req.from) {
    const { balance } = backend.account(req.from);
    const feeCap = req.maxFeePerGas ?? req.gasPrice ?? 0n;
    if (balance < req.value) throw rejected("insufficient funds for transfer");
    if (balance < req.value + gas * feeCap) throw rejected(TX_ERROR_MESSAGES.TX_ERROR_INSUFFICIENT_FUNDS);
  }
  return gas;
}
