// Loads a genesis file: read, JSON.parse, schema (genesis-schema.ts). Every failure is a GenesisError with a
// code and, for schema failures, the list of offending field paths. The only I/O here is reading the file.

import * as fs from "node:fs";
import { parseGenesis } from "./genesis-schema.ts";
import { GenesisError, formatProblems } from "./genesis-error.ts";
import type { Genesis } from "./genesis.ts";

/** Validates parsed JSON; throws GENESIS_ERROR_INVALID listing every problem. */
export function genesisFromJson(value: unknown, file?: string): Genesis {
  const r = parseGenesis(value);
  if (r.ok) return r.genesis;
  const where = file ? ` in ${file}` : "";
  throw new GenesisError("GENESIS_ERROR_INVALID", `invalid genesis${where}:\n${formatProblems(r.problems)}`, {
    ...(file ? { file } : {}),
    problems: r.problems,
  });
}

export function loadGenesisFile(file: string): Genesis {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new GenesisError("GENESIS_ERROR_READ", `cannot read genesis file ${file}: ${(err as Error).message}`, { file });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new GenesisError("GENESIS_ERROR_JSON", `genesis file ${file} is not valid JSON: ${(err as Error).message}`, { file });
  }
  return genesisFromJson(value, file);
}
