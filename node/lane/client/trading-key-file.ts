// The trader's lane key file: an ed25519 trading key (secret, 0600, written atomically by secret-file.ts), the
// account it was registered for, and the high-water marks that must survive restarts: the next client order id
// (u32, the engine's per-account order handle: used once, increasing) and a floor for action nonces. Counters are
// reserved in blocks and persisted before any id of a block is used, so a crash skips ids but never reuses one.
// One process per key file: two processes sharing a file at the same time could interleave their blocks.

import * as crypto from "node:crypto";
import { keyPairFromSeed } from "../../../consensus/crypto/ed25519.ts";
import { bytesEqual, fromHex, toHex } from "../../../consensus/crypto/hash.ts";
import type { Address } from "../../../consensus/types.ts";
import { readKeyJson, writeSecretJson } from "../../keys/secret-file.ts";
import { LaneClientError } from "./lane-client-error.ts";

export const TRADING_KEY_FILE_TYPE = "xdpchain-lane-trading-key";
/** Client order ids are u32 and 0 means "none". */
export const CLIENT_ORDER_ID_MAX = 0xffff_ffff;

interface KeyFileJson {
  type: typeof TRADING_KEY_FILE_TYPE;
  secretKey: string;
  publicKey: string;
  /** 0x address the key was registered for, or null before `register`. */
  account: string | null;
  /** Every client order id below this one may have been used. */
  nextClientOrderId: number;
  /** Every action nonce below this one may have been used (decimal u64). */
  nonceFloor: string;
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function keyFileError(file: string, why: string): LaneClientError {
  return new LaneClientError("LANE_CLIENT_ERROR_KEY_FILE", `trading key file ${file}: ${why}`, { file });
}

function parse(file: string, json: unknown): KeyFileJson {
  const o = json as Record<string, unknown> | null;
  if (typeof o !== "object" || o === null || o.type !== TRADING_KEY_FILE_TYPE) throw keyFileError(file, `type must be "${TRADING_KEY_FILE_TYPE}"`);
  if (typeof o.secretKey !== "string" || !HEX32.test(o.secretKey)) throw keyFileError(file, "secretKey must be 0x followed by 64 hex digits");
  if (typeof o.publicKey !== "string" || !HEX32.test(o.publicKey)) throw keyFileError(file, "publicKey must be 0x followed by 64 hex digits");
  if (o.account !== null && (typeof o.account !== "string" || !ADDRESS.test(o.account))) throw keyFileError(file, "account must be null or a 0x address");
  const next = o.nextClientOrderId;
  if (typeof next !== "number" || !Number.isSafeInteger(next) || next < 1 || next > CLIENT_ORDER_ID_MAX + 1) {
    throw keyFileError(file, `nextClientOrderId must be an integer in 1..${CLIENT_ORDER_ID_MAX + 1}`);
  }
  if (typeof o.nonceFloor !== "string" || !/^\d{1,20}$/.test(o.nonceFloor)) throw keyFileError(file, "nonceFloor must be a decimal integer string");
  return o as unknown as KeyFileJson;
}

export class TradingKeyFile {
  private constructor(
    readonly file: string,
    readonly secretKey: Uint8Array,
    readonly publicKey: Uint8Array,
    private json: KeyFileJson,
  ) {}

  /** A new random key (or from `seed`, for tests). Refuses to replace an existing file unless `overwrite`. */
  static generate(file: string, o: { overwrite?: boolean; seed?: Uint8Array } = {}): TradingKeyFile {
    const pair = keyPairFromSeed(o.seed ?? new Uint8Array(crypto.randomBytes(32)));
    const json: KeyFileJson = {
      type: TRADING_KEY_FILE_TYPE,
      secretKey: `0x${toHex(pair.secretKey)}`,
      publicKey: `0x${toHex(pair.publicKey)}`,
      account: null,
      nextClientOrderId: 1,
      nonceFloor: "0",
    };
    writeSecretJson(file, json, o.overwrite ?? false);
    return new TradingKeyFile(file, pair.secretKey, pair.publicKey, json);
  }

  static load(file: string): TradingKeyFile {
    let raw: unknown;
    try {
      raw = readKeyJson(file);
    } catch (err) {
      throw keyFileError(file, `${(err as Error).message} (create one with 'xdpchain lane keygen')`);
    }
    const json = parse(file, raw);
    const pair = keyPairFromSeed(fromHex(json.secretKey));
    if (!bytesEqual(pair.publicKey, fromHex(json.publicKey))) throw keyFileError(file, "secretKey does not belong to publicKey");
    return new TradingKeyFile(file, pair.secretKey, pair.publicKey, json);
  }

  get publicKeyHex(): string {
    return `0x${toHex(this.publicKey)}`;
  }

  get account(): Address | null {
    return this.json.account === null ? null : fromHex(this.json.account);
  }

  get nextClientOrderId(): number {
    return this.json.nextClientOrderId;
  }

  get nonceFloor(): bigint {
    return BigInt(this.json.nonceFloor);
  }

  setAccount(account: Address): void {
    this.update((j) => ({ ...j, account: `0x${toHex(account)}` }));
  }

  /**
   * Reserves `count` client order ids at or above `atLeast` (e.g. above the account's highest) and persists the
   * reservation before returning its first id.
   */
  reserveClientOrderIds(count: number, atLeast = 1): number {
    let first = 0;
    this.update((j) => {
      first = Math.max(j.nextClientOrderId, atLeast);
      if (first + count - 1 > CLIENT_ORDER_ID_MAX) {
        throw new LaneClientError("LANE_CLIENT_ERROR_CLIENT_IDS_EXHAUSTED", `${this.file}: the u32 client order ids of this trading key are used up; generate a new key`, { file: this.file });
      }
      return { ...j, nextClientOrderId: first + count };
    });
    return first;
  }

  /** Records that nonces below `floor` may be in use; never lowers the floor. */
  reserveNonces(floor: bigint): void {
    this.update((j) => (BigInt(j.nonceFloor) >= floor ? j : { ...j, nonceFloor: floor.toString() }));
  }

  /** Re-reads the file (another run may have advanced it), keeps the larger marks, applies `fn`, writes. */
  private update(fn: (j: KeyFileJson) => KeyFileJson): void {
    let current = this.json;
    try {
      const disk = parse(this.file, readKeyJson(this.file));
      if (disk.publicKey.toLowerCase() === current.publicKey.toLowerCase()) {
        current = {
          ...current,
          account: disk.account ?? current.account,
          nextClientOrderId: Math.max(disk.nextClientOrderId, current.nextClientOrderId),
          nonceFloor: BigInt(disk.nonceFloor) > BigInt(current.nonceFloor) ? disk.nonceFloor : current.nonceFloor,
        };
      }
    } catch {
      // The file was removed or damaged since it was loaded: rewrite it from memory.
    }
    const next = fn(current);
    writeSecretJson(this.file, next, true);
    this.json = next;
  }
}
