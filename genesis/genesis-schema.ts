// The genesis JSON schema, checked by hand so that every message names its field path (for example
// `genesis.validators[2].stake: must be a positive integer string`). Strict: unknown fields are errors (a
// typo must not silently fall back to a default), amounts are canonical decimal strings below 2^256.

import { compareBytes, fromHex, toHex } from "../consensus/crypto/hash.ts";
import { isValidValidatorKey } from "../consensus/crypto/ed25519.ts";
import { LIMITS, type ChainParams, type Validator } from "../consensus/types.ts";
import { parseAddress } from "./eth-address.ts";
import type { Genesis, GenesisAccount } from "./genesis.ts";
import type { GenesisProblem } from "./genesis-error.ts";
import { Checker, type Obj } from "./genesis-checker.ts";
import { parseGenesisLane } from "./genesis-lane.ts";

export type GenesisParse = { ok: true; genesis: Genesis } | { ok: false; problems: GenesisProblem[] };

const ROOT = "genesis";
const ROOT_FIELDS = ["chainId", "genesisTime", "params", "accounts", "validators"] as const;
const OPTIONAL_ROOT_FIELDS = ["lane"] as const;
const U64_MAX = (1n << 64n) - 1n;
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;
const ACCOUNTS_MAX = 100_000;
/** One plain transfer must fit in a block. */
const MIN_BLOCK_GAS = 21_000n;

export function parseGenesis(value: unknown): GenesisParse {
  const c = new Checker();
  const root = c.object(value, ROOT, ROOT_FIELDS, OPTIONAL_ROOT_FIELDS);
  if (!root) return { ok: false, problems: c.problems };
  const chainId = c.int(root.chainId, `${ROOT}.chainId`, 1, Number.MAX_SAFE_INTEGER);
  const genesisTimeMs = parseTime(c, root.genesisTime, `${ROOT}.genesisTime`);
  const params = root.params === undefined ? undefined : parseParams(c, root.params, BigInt(chainId ?? 0));
  const accounts = root.accounts === undefined ? undefined : parseAccounts(c, root.accounts);
  const validators = root.validators === undefined ? undefined : parseValidators(c, root.validators, params);
  const lane = root.lane === undefined ? undefined : parseGenesisLane(c, root.lane, `${ROOT}.lane`);
  if (c.problems.length > 0 || chainId === undefined || genesisTimeMs === undefined || !params || !accounts || !validators) {
    return { ok: false, problems: c.problems };
  }
  const genesis: Genesis = { chainId: BigInt(chainId), genesisTimeMs, params, accounts, validators };
  if (lane) genesis.lane = lane;
  return { ok: true, genesis };
}

function parseTime(c: Checker, value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  const m = typeof value === "string" ? ISO_UTC.exec(value) : null;
  if (!m) return c.fail(path, 'must be an ISO 8601 UTC time like "2025-01-01T00:00:00.000Z"');
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? "0").padEnd(3, "0"));
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return c.fail(path, "is not a real calendar time");
  }
  if (t < 0) return c.fail(path, "must not be before 1970");
  return t;
}

const PARAM_FIELDS = [
  "epochLengthBlocks",
  "unbondingPeriodBlocks",
  "minValidatorStake",
  "maxValidators",
  "slashFractionBps",
  "jailPeriodBlocks",
  "blockReward",
  "proposerRewardBps",
  "minBaseFeePerGas",
  "blockGasLimit",
  "maxTransactionsPerBlock",
] as const;

function parseParams(c: Checker, value: unknown, chainId: bigint): ChainParams | undefined {
  const p = `${ROOT}.params`;
  const o = c.object(value, p, PARAM_FIELDS);
  if (!o) return undefined;
  const BLOCKS_MAX = 1_000_000_000;
  const out = {
    chainId,
    epochLengthBlocks: c.int(o.epochLengthBlocks, `${p}.epochLengthBlocks`, 1, BLOCKS_MAX),
    unbondingPeriodBlocks: c.int(o.unbondingPeriodBlocks, `${p}.unbondingPeriodBlocks`, 1, BLOCKS_MAX),
    minValidatorStake: c.amount(o.minValidatorStake, `${p}.minValidatorStake`, 1n),
    maxValidators: c.int(o.maxValidators, `${p}.maxValidators`, 1, LIMITS.maxValidators),
    slashFractionBps: c.int(o.slashFractionBps, `${p}.slashFractionBps`, 0, 10_000),
    jailPeriodBlocks: c.int(o.jailPeriodBlocks, `${p}.jailPeriodBlocks`, 0, BLOCKS_MAX),
    blockReward: c.amount(o.blockReward, `${p}.blockReward`, 0n),
    proposerRewardBps: c.int(o.proposerRewardBps, `${p}.proposerRewardBps`, 0, 10_000),
    minBaseFeePerGas: c.amount(o.minBaseFeePerGas, `${p}.minBaseFeePerGas`, 0n),
    blockGasLimit: c.amount(o.blockGasLimit, `${p}.blockGasLimit`, MIN_BLOCK_GAS),
    maxTransactionsPerBlock: c.int(o.maxTransactionsPerBlock, `${p}.maxTransactionsPerBlock`, 1, LIMITS.maxTransactionsPerBlock),
  };
  if (out.blockGasLimit !== undefined && out.blockGasLimit > U64_MAX) c.fail(`${p}.blockGasLimit`, "must fit in 64 bits");
  return Object.values(out).some((v) => v === undefined) ? undefined : (out as ChainParams);
}

function parseAccounts(c: Checker, value: unknown): GenesisAccount[] | undefined {
  const p = `${ROOT}.accounts`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return c.fail(p, "must be an object of address -> balance");
  const entries = Object.entries(value as Obj);
  if (entries.length > ACCOUNTS_MAX) return c.fail(p, `must hold at most ${ACCOUNTS_MAX} accounts`);
  const out: GenesisAccount[] = [];
  const seen = new Map<string, string>();
  for (const [key, bal] of entries) {
    const path = `${p}["${key}"]`;
    const addr = parseAddress(key);
    if (!addr.ok) {
      c.fail(path, `address ${addr.reason}`);
      continue;
    }
    const hex = toHex(addr.address);
    if (seen.has(hex)) {
      c.fail(path, `duplicates ${p}["${seen.get(hex)}"] (addresses are case-insensitive)`);
      continue;
    }
    seen.set(hex, key);
    const balance = c.amount(bal, path, 0n);
    if (balance !== undefined) out.push({ address: addr.address, balance });
  }
  return out.sort((a, b) => compareBytes(a.address, b.address));
}

function parseValidators(c: Checker, value: unknown, params: ChainParams | undefined): Validator[] | undefined {
  const p = `${ROOT}.validators`;
  if (!Array.isArray(value)) return c.fail(p, "must be an array");
  const max = params?.maxValidators ?? LIMITS.maxValidators;
  if (value.length === 0 || value.length > max) return c.fail(p, `must hold from 1 to ${max} validators (params.maxValidators)`);
  const out: Validator[] = [];
  const keyIndex = new Map<string, number>();
  value.forEach((item, i) => {
    const path = `${p}[${i}]`;
    const o = c.object(item, path, ["publicKey", "operator", "stake"]);
    if (!o) return;
    let publicKey: Uint8Array | undefined;
    if (o.publicKey !== undefined) {
      if (typeof o.publicKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(o.publicKey)) {
        c.fail(`${path}.publicKey`, "must be 0x followed by 64 hex digits (an ed25519 public key)");
      } else if (!isValidValidatorKey(fromHex(o.publicKey))) {
        c.fail(`${path}.publicKey`, "is not a valid ed25519 validator key (non-canonical or small order)");
      } else {
        publicKey = fromHex(o.publicKey);
        const dup = keyIndex.get(toHex(publicKey));
        if (dup !== undefined) c.fail(`${path}.publicKey`, `duplicates the key of ${p}[${dup}]`);
        else keyIndex.set(toHex(publicKey), i);
      }
    }
    let operator: Uint8Array | undefined;
    if (o.operator !== undefined) {
      const a = typeof o.operator === "string" ? parseAddress(o.operator) : ({ ok: false, reason: "must be a string" } as const);
      if (a.ok) operator = a.address;
      else c.fail(`${path}.operator`, a.reason);
    }
    const stake = c.amount(o.stake, `${path}.stake`, 1n);
    if (stake !== undefined && params && stake < params.minValidatorStake) {
      c.fail(`${path}.stake`, `must be at least params.minValidatorStake (${params.minValidatorStake})`);
    }
    if (publicKey && operator && stake !== undefined) out.push({ publicKey, operator, stake });
  });
  return out.sort((a, b) => compareBytes(a.publicKey, b.publicKey));
}
