// Positional parameter checks for JSON-RPC methods: each helper reads one parameter, and any wrong type, bad hex
// or wrong length throws RpcError -32602 naming the parameter (by position and name) and what was expected.
// Block selectors follow the execution API: tags, hex numbers, and EIP-1898 objects { blockNumber | blockHash }.

import type { Address } from "../../consensus/types.ts";
import { type HexResult, parseAddressParam, parseData, parseHash, parseQuantity, parseSmallQuantity } from "./hex.ts";
import { invalidParams } from "./rpc-error.ts";

export type BlockSelector =
  | { kind: "head" }
  | { kind: "pending" }
  | { kind: "earliest" }
  | { kind: "number"; height: number }
  | { kind: "hash"; hash: Uint8Array };

/** Rejects too few or too many positional parameters. */
export function expectArity(params: unknown[], min: number, max: number): void {
  if (params.length > max) throw invalidParams(`too many arguments, want at most ${max}`);
  // Trailing nulls count as omitted, as in go-ethereum.
  let given = params.length;
  while (given > 0 && params[given - 1] === null) given--;
  if (given < min) throw invalidParams(`missing value for required argument ${given}`);
}

function label(index: number, name: string): string {
  return `invalid argument ${index} (${name})`;
}

function take<T>(r: HexResult<T>, index: number, name: string): T {
  if (!r.ok) throw invalidParams(`${label(index, name)}: ${r.reason}`);
  return r.value;
}

export function quantityParam(params: unknown[], index: number, name: string): bigint {
  return take(parseQuantity(params[index]), index, name);
}

export function smallQuantityParam(params: unknown[], index: number, name: string): number {
  return take(parseSmallQuantity(params[index]), index, name);
}

export function addressParam(params: unknown[], index: number, name: string): Address {
  return take(parseAddressParam(params[index]), index, name);
}

export function hashParam(params: unknown[], index: number, name: string): Uint8Array {
  return take(parseHash(params[index]), index, name);
}

export function dataParam(params: unknown[], index: number, name: string, maxBytes: number): Uint8Array {
  return take(parseData(params[index], { maxBytes }), index, name);
}

export function boolParam(params: unknown[], index: number, name: string, fallback?: boolean): boolean {
  const v = params[index];
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== "boolean") throw invalidParams(`${label(index, name)}: must be a boolean`);
  return v;
}

const TAGS: ReadonlyMap<string, BlockSelector> = new Map<string, BlockSelector>([
  ["latest", { kind: "head" }],
  ["safe", { kind: "head" }],
  ["finalized", { kind: "head" }],
  ["pending", { kind: "pending" }],
  ["earliest", { kind: "earliest" }],
]);

function selectorOf(v: unknown, allowObject: boolean): HexResult<BlockSelector> {
  if (typeof v === "string") {
    const tag = TAGS.get(v);
    if (tag) return { ok: true, value: tag };
    const n = parseSmallQuantity(v);
    if (!n.ok) return { ok: false, reason: `must be a block tag (latest, safe, finalized, pending, earliest) or a hex block number (${n.reason})` };
    return { ok: true, value: { kind: "number", height: n.value } };
  }
  if (allowObject && typeof v === "object" && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const hasNumber = Object.hasOwn(o, "blockNumber");
    const hasHash = Object.hasOwn(o, "blockHash");
    if (hasNumber === hasHash) return { ok: false, reason: "block object must have exactly one of blockNumber and blockHash" };
    if (hasNumber) return selectorOf(o.blockNumber, false);
    if (Object.hasOwn(o, "requireCanonical") && typeof o.requireCanonical !== "boolean") {
      return { ok: false, reason: "requireCanonical must be a boolean" };
    }
    const hash = parseHash(o.blockHash);
    if (!hash.ok) return { ok: false, reason: `blockHash ${hash.reason}` };
    return { ok: true, value: { kind: "hash", hash: hash.value } };
  }
  return { ok: false, reason: allowObject ? "must be a block tag, a hex block number or a block object" : "must be a block tag or a hex block number" };
}

/** A block number or tag; `fallback` applies when the parameter is omitted or null. EIP-1898 objects if allowed. */
export function blockParam(
  params: unknown[],
  index: number,
  name: string,
  options: { fallback?: BlockSelector; allowObject?: boolean } = {},
): BlockSelector {
  const v = params[index];
  if ((v === undefined || v === null) && options.fallback) return options.fallback;
  return take(selectorOf(v, options.allowObject ?? false), index, name);
}
