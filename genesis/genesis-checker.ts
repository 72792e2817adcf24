// Field checks for the genesis JSON (genesis-schema.ts, genesis-lane.ts): each pushes a problem naming the field's
// path and returns undefined on failure, so one pass finds every problem.

import type { GenesisProblem } from "./genesis-error.ts";

const U256_MAX = (1n << 256n) - 1n;

export type Obj = Record<string, unknown>;

/** Field checks: each pushes a problem and returns undefined on failure, so all problems are found in one pass. */
export class Checker {
  readonly problems: GenesisProblem[] = [];

  fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  object(value: unknown, path: string, fields: readonly string[], optional: readonly string[] = []): Obj | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return this.fail(path, "must be an object");
    const obj = value as Obj;
    for (const k of Object.keys(obj)) if (!fields.includes(k) && !optional.includes(k)) this.fail(`${path}.${k}`, "unknown field");
    for (const k of fields) if (!(k in obj)) this.fail(`${path}.${k}`, "is required");
    return obj;
  }

  int(value: unknown, path: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      return this.fail(path, `must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A canonical decimal string (no sign, no leading zeros) from `min` to 2^256-1. */
  amount(value: unknown, path: string, min: bigint): bigint | undefined {
    if (value === undefined) return undefined;
    const what = min > 0n ? "a positive integer string" : "a non-negative integer string";
    if (typeof value !== "string" || !/^(0|[1-9][0-9]{0,77})$/.test(value)) return this.fail(path, `must be ${what}`);
    const n = BigInt(value);
    if (n > U256_MAX) return this.fail(path, `must be ${what} below 2^256`);
    if (n < min) return this.fail(path, min > 1n ? `must be at least ${min}` : `must be ${what}`);
    return n;
  }

  /** A non-empty string of at most `maxLength` characters. */
  text(value: unknown, path: string, maxLength: number): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.length === 0 || value.length > maxLength) return this.fail(path, `must be a string of 1 to ${maxLength} characters`);
    return value;
  }
}
