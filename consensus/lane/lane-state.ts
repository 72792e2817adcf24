// The order lane's replicated state beside the world state: the derivatives engine, the trading keys accounts
// registered (and their nonce windows), and the last block's cut-off. Its hash is written under one world-state
// key (LANE_STATE_KEY) by block execution, so the header's stateRoot commits to the whole lane. Mutable like the
// engine: execution works on a clone of the parent's and a refused action changes nothing.

import { ByteReader } from "../codec/byte-reader.ts";
import { ByteWriter } from "../codec/byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "../codec/codec-error.ts";
import { domainHash, fromHex, toHex } from "../crypto/hash.ts";
import type { EngineGenesis, EngineState } from "../derivatives/engine-state.ts";
import { createEngineState } from "../derivatives/engine-state.ts";
import { engineStateHash } from "../derivatives/state-hash.ts";
import { cloneEngineState } from "../derivatives/state-snapshot.ts";
import type { Hash, PublicKey } from "../types.ts";
import type { NonceWindow } from "./nonce-window.ts";

/** Trading keys one account may have registered at once. */
export const TRADING_KEYS_PER_ACCOUNT_MAX = 8;
/** Decoder bound on registered plus revoked keys (far above what the engine's account limit allows). */
const LANE_KEYS_MAX = 10_000_000;

export interface TradingKeyRecord {
  /** Owner: lowercase 0x-hex address, the engine's account id. */
  readonly account: string;
  window: NonceWindow;
}

export interface LaneState {
  engine: EngineState;
  /** By lowercase hex of the 32-byte key. A revoked key is deleted (its window with it: it can never sign again). */
  readonly keys: Map<string, TradingKeyRecord>;
  /** Keys revoked once stay refused, so a revoked key's old orders can never be replayed. */
  readonly revokedKeys: Set<string>;
  /** The cut-off (µs) of the last block whose lane advanced; 0 before the first. */
  cutoffUs: number;
}

export function createLaneState(genesis: EngineGenesis): LaneState {
  return { engine: createEngineState(genesis), keys: new Map(), revokedKeys: new Set(), cutoffUs: 0 };
}

export function cloneLaneState(s: LaneState): LaneState {
  const keys = new Map<string, TradingKeyRecord>();
  for (const [k, r] of s.keys) keys.set(k, { account: r.account, window: r.window });
  return { engine: cloneEngineState(s.engine), keys, revokedKeys: new Set(s.revokedKeys), cutoffUs: s.cutoffUs };
}

export function keysOfAccount(s: LaneState, account: string): string[] {
  return [...s.keys].filter(([, r]) => r.account === account).map(([k]) => k).sort();
}

export function accountIdOf(address: Uint8Array): string {
  return `0x${toHex(address)}`;
}

export function tradingKeyId(key: PublicKey): string {
  return toHex(key);
}

const LANE_STATE_VERSION = 1;

/** Canonical bytes of everything but the engine (sorted), for the hash and for snapshots. */
export function encodeLaneRegistry(s: LaneState): Uint8Array {
  const w = new ByteWriter(256).u8(LANE_STATE_VERSION).u64(s.cutoffUs);
  const keys = [...s.keys.keys()].sort();
  w.list(keys, (x, k) => {
    const r = s.keys.get(k)!;
    x.fixed(fromHex(k), 32).fixed(fromHex(r.account.slice(2)), 20).u64n(r.window.highest).u64n(r.window.seen);
  });
  w.list([...s.revokedKeys].sort(), (x, k) => {
    x.fixed(fromHex(k), 32);
  });
  return w.finish();
}

/** What LANE_STATE_KEY holds: sha256 over the engine's canonical hash and the registry's bytes. */
export function laneStateHash(s: LaneState): Hash {
  const w = new ByteWriter(64).fixed(engineStateHash(s.engine), 32).bytes(encodeLaneRegistry(s));
  return domainHash("laneState", w.finish());
}

export function decodeLaneRegistry(bytes: Uint8Array): DecodeResult<Omit<LaneState, "engine">> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const version = r.u8("lane state version");
    if (version !== LANE_STATE_VERSION) throw new CodecError("CODEC_ERROR_BAD_VALUE", 0, `lane state version ${version}`);
    const cutoffUs = r.u64("cut-off");
    const keys = new Map<string, TradingKeyRecord>();
    r.list(LANE_KEYS_MAX, 32 + 20 + 16, (x) => {
      const key = toHex(x.fixed(32, "trading key"));
      const account = accountIdOf(x.fixed(20, "account"));
      keys.set(key, { account, window: { highest: x.u64n("highest nonce"), seen: x.u64n("seen") } });
    }, "trading keys");
    const revokedKeys = new Set<string>();
    r.list(LANE_KEYS_MAX, 32, (x) => revokedKeys.add(toHex(x.fixed(32, "revoked key"))), "revoked keys");
    r.end("lane registry");
    return { keys, revokedKeys, cutoffUs };
  });
}

