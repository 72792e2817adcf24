// Typed reads and writes of state records over raw key/value bytes: accounts, validator records, the registry,
// unbonding queues, slash markers, the epoch record and the chain height. Reads from our own state that fail to
// decode are corruption and throw; peers never reach these bytes directly.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { assert } from "../errors.ts";
import type { Address, PublicKey } from "../types.ts";
import { type Account, EMPTY_ACCOUNT, encodeAccount, isEmptyAccount, loadAccount } from "./account.ts";
import { type EpochRecord, encodeEpochRecord, loadEpochRecord } from "./epoch-record.ts";
import { KEY_LIST_MAX, encodeKeyList, loadKeyList } from "./key-list.ts";
import {
  EPOCH_KEY,
  META_KEY,
  REGISTRY_KEY,
  accountKey,
  slashRecordKey,
  unbondingQueueKey,
  validatorKey,
} from "./state-keys.ts";
import { type ValidatorRecord, encodeValidatorRecord, loadValidatorRecord } from "./validator-record.ts";
import type { StateReader } from "./world-state.ts";

export interface StateWriter extends StateReader {
  set(key: Uint8Array, value: Uint8Array | null): void;
}

export function getAccount(db: StateReader, address: Address): Account {
  const bytes = db.get(accountKey(address));
  return bytes === undefined ? { ...EMPTY_ACCOUNT } : loadAccount(bytes);
}

export function putAccount(db: StateWriter, address: Address, account: Account): void {
  assert(account.balance >= 0n, "balance must not go negative");
  db.set(accountKey(address), isEmptyAccount(account) ? null : encodeAccount(account));
}

export function creditAccount(db: StateWriter, address: Address, amount: bigint): void {
  if (amount === 0n) return;
  const a = getAccount(db, address);
  putAccount(db, address, { balance: a.balance + amount, nonce: a.nonce });
}

export function getValidatorRecord(db: StateReader, publicKey: PublicKey): ValidatorRecord | undefined {
  const bytes = db.get(validatorKey(publicKey));
  return bytes === undefined ? undefined : loadValidatorRecord(bytes);
}

export function putValidatorRecord(db: StateWriter, rec: ValidatorRecord): void {
  db.set(validatorKey(rec.publicKey), encodeValidatorRecord(rec));
}

export function deleteValidatorRecord(db: StateWriter, publicKey: PublicKey): void {
  db.set(validatorKey(publicKey), null);
}

export function getRegistry(db: StateReader): PublicKey[] {
  return loadKeyList(db.get(REGISTRY_KEY));
}

export function putRegistry(db: StateWriter, keys: readonly PublicKey[]): void {
  assert(keys.length <= KEY_LIST_MAX, "validator registry over its limit");
  db.set(REGISTRY_KEY, keys.length === 0 ? null : encodeKeyList(keys));
}

export function getUnbondingQueue(db: StateReader, releaseHeight: number): PublicKey[] {
  return loadKeyList(db.get(unbondingQueueKey(releaseHeight)));
}

export function putUnbondingQueue(db: StateWriter, releaseHeight: number, keys: readonly PublicKey[]): void {
  assert(keys.length <= KEY_LIST_MAX, "unbonding queue over its limit");
  db.set(unbondingQueueKey(releaseHeight), keys.length === 0 ? null : encodeKeyList(keys));
}

export function isSlashedForView(db: StateReader, publicKey: PublicKey, view: number): boolean {
  return db.get(slashRecordKey(publicKey, view)) !== undefined;
}

export function markSlashedForView(db: StateWriter, publicKey: PublicKey, view: number): void {
  db.set(slashRecordKey(publicKey, view), Uint8Array.of(1));
}

export function getEpochRecord(db: StateReader): EpochRecord {
  const bytes = db.get(EPOCH_KEY);
  assert(bytes !== undefined, "state has no epoch record (not created by createGenesisState?)");
  return loadEpochRecord(bytes);
}

export function putEpochRecord(db: StateWriter, rec: EpochRecord): void {
  db.set(EPOCH_KEY, encodeEpochRecord(rec));
}

/** Height of the last executed block (genesis is 0). */
export function getHeight(db: StateReader): number {
  const bytes = db.get(META_KEY);
  assert(bytes !== undefined, "state has no height (not created by createGenesisState?)");
  const r = new ByteReader(bytes);
  const height = r.u64("height");
  r.end("meta");
  return height;
}

export function putHeight(db: StateWriter, height: number): void {
  db.set(META_KEY, new ByteWriter(8).u64(height).finish());
}
