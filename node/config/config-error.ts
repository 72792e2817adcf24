// Operating errors of node/config: a config file that cannot be read or parsed, one that breaks the schema
// (every problem listed with its field path, `config.rpc.port: must be ...`, so an operator fixes all at
// once), and node homes that already exist or cannot be written.

import { XdpchainError } from "../../consensus/errors.ts";

export type ConfigErrorCode =
  | "CONFIG_ERROR_READ"
  | "CONFIG_ERROR_JSON"
  | "CONFIG_ERROR_INVALID"
  | "CONFIG_ERROR_WRITE"
  | "CONFIG_ERROR_HOME_EXISTS"
  | "CONFIG_ERROR_HOME";

export interface ConfigProblem {
  path: string;
  message: string;
}

export class ConfigError extends XdpchainError<ConfigErrorCode, { file?: string; problems?: ConfigProblem[] }> {}

export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("\n");
}
