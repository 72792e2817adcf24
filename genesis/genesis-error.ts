// Operating errors of genesis loading and generation. An invalid genesis lists every problem, each with the
// path of the offending field (`genesis.validators[2].stake: must be ...`), so an operator fixes all at once.

import { XdpchainError } from "../consensus/errors.ts";

export type GenesisErrorCode = "GENESIS_ERROR_READ" | "GENESIS_ERROR_JSON" | "GENESIS_ERROR_INVALID" | "GENESIS_ERROR_KEY_FILE";

export interface GenesisProblem {
  path: string;
  message: string;
}

export class GenesisError extends XdpchainError<GenesisErrorCode, { file?: string; problems?: GenesisProblem[] }> {}

export function formatProblems(problems: readonly GenesisProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("\n");
}
