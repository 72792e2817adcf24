// The state's key space: one prefix byte per kind of record, then fixed fields. Prefix numbers are never
// reused or renumbered (a retired kind keeps its number), because keys are hashed into the state root and
// persisted by node/store. Values are the codecs in account.ts, validator-record.ts and epoch-record.ts.

import { ByteWriter } from "../codec/byte-writer.ts";
import type { Address, PublicKey } from "../types.ts";

export const StateKeyPrefix = {
  /** Chain height and other per-chain scalars (one key). */
  Meta: 0x00,
  /** Account by 20-byte address. */
  Account: 0x01,
  /** Validator staking record by 32-byte ed25519 key. */
  Validator: 0x02,
  /** Sorted list of every registered validator key (one key). */
  ValidatorRegistry: 0x03,
  /** Validator keys with unbonding entries released at a height (u64). */
  UnbondingQueue: 0x04,
  /** Current and previous validator sets (one key). */
  Epoch: 0x05,
  /** Marker: this key was slashed for equivocating in this view (u64). */
  SlashRecord: 0x06,
  /** Hash of the order lane's state (lane/lane-state.ts laneStateHash), one key; absent on chains without it. */
  LaneState: 0x07,
} as const;

export const META_KEY = Uint8Array.of(StateKeyPrefix.Meta);
export const REGISTRY_KEY = Uint8Array.of(StateKeyPrefix.ValidatorRegistry);
export const EPOCH_KEY = Uint8Array.of(StateKeyPrefix.Epoch);
export const LANE_STATE_KEY = Uint8Array.of(StateKeyPrefix.LaneState);

export function accountKey(address: Address): Uint8Array {
  const key = new Uint8Array(21);
  key[0] = StateKeyPrefix.Account;
  key.set(address, 1);
  return key;
}

export function validatorKey(publicKey: PublicKey): Uint8Array {
  const key = new Uint8Array(33);
  key[0] = StateKeyPrefix.Validator;
  key.set(publicKey, 1);
  return key;
}

export function unbondingQueueKey(releaseHeight: number): Uint8Array {
  return new ByteWriter(9).u8(StateKeyPrefix.UnbondingQueue).u64(releaseHeight).finish();
}

export function slashRecordKey(publicKey: PublicKey, view: number): Uint8Array {
  return new ByteWriter(41).u8(StateKeyPrefix.SlashRecord).fixed(publicKey, 32).u64(view).finish();
}
