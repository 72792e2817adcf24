// The node's configuration as the running node reads it: `<home>/config.json` checked by node-config-schema.ts,
// defaults filled in, relative paths resolved against the home. Loading never creates anything; writing merges
// overrides onto the existing file (or the defaults), validates the result and replaces the file atomically.

import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, formatConfigProblems } from "./config-error.ts";
import { NODE_CONFIG_DEFAULTS, parseNodeConfigFile, type DataPlaneConfig, type HostPort, type NodeConfigFile } from "./node-config-schema.ts";

export type { DataPlaneConfig, HostPort, LogFormat, LogLevel, NodeConfigFile, Transport } from "./node-config-schema.ts";
export { NODE_CONFIG_DEFAULTS } from "./node-config-schema.ts";

export const CONFIG_FILE_NAME = "config.json";
const CONFIG_FILE_BYTES_MAX = 1024 * 1024;

/** The loaded config: every path absolute. */
export interface NodeConfig extends NodeConfigFile {
  /** The resolved home directory (not stored in the file). */
  home: string;
}

/** Changes to apply on top of a config file: sections merge field by field, `metrics: null` disables metrics. */
export interface NodeConfigOverrides {
  genesisFile?: string;
  validatorKeyFile?: string | null;
  nodeKeyFile?: string;
  dataDir?: string;
  dataPlane?: Partial<DataPlaneConfig>;
  p2p?: Partial<NodeConfigFile["p2p"]>;
  rpc?: Partial<NodeConfigFile["rpc"]>;
  metrics?: Partial<HostPort> | null;
  consensus?: Partial<NodeConfigFile["consensus"]>;
  mempool?: Partial<NodeConfigFile["mempool"]>;
  log?: Partial<NodeConfigFile["log"]>;
  lane?: Partial<NodeConfigFile["lane"]>;
}

export function configFilePath(home: string): string {
  return path.join(path.resolve(home), CONFIG_FILE_NAME);
}

function resolveConfig(file: NodeConfigFile, home: string): NodeConfig {
  const abs = path.resolve(home);
  const at = (p: string) => path.resolve(abs, p);
  return {
    ...structuredClone(file),
    home: abs,
    genesisFile: at(file.genesisFile),
    validatorKeyFile: file.validatorKeyFile === null ? null : at(file.validatorKeyFile),
    nodeKeyFile: at(file.nodeKeyFile),
    dataDir: at(file.dataDir),
  };
}

/** The config a fresh home gets (all defaults), resolved against `home`. */
export function defaultNodeConfig(home: string): NodeConfig {
  return resolveConfig(NODE_CONFIG_DEFAULTS, home);
}

/** Validates a parsed config object; throws CONFIG_ERROR_INVALID listing every offending field. */
export function nodeConfigFromJson(value: unknown, home: string, file?: string): NodeConfig {
  return resolveConfig(assertConfigFile(value, file), home);
}

function assertConfigFile(value: unknown, file?: string): NodeConfigFile {
  const r = parseNodeConfigFile(value);
  if (r.ok) return r.config;
  const where = file ? ` in ${file}` : "";
  throw new ConfigError("CONFIG_ERROR_INVALID", `invalid config${where}:\n${formatConfigProblems(r.problems)}`, {
    ...(file ? { file } : {}),
    problems: r.problems,
  });
}

function readConfigJson(file: string, home: string): unknown {
  let text: string;
  try {
    if (fs.statSync(file).size > CONFIG_FILE_BYTES_MAX) throw new Error(`larger than ${CONFIG_FILE_BYTES_MAX} bytes`);
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    const hint = missing ? ` (run 'xdpchain init --home ${home}' first)` : "";
    throw new ConfigError("CONFIG_ERROR_READ", `cannot read config file ${file}: ${(err as Error).message}${hint}`, { file });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError("CONFIG_ERROR_JSON", `config file ${file} is not valid JSON: ${(err as Error).message}`, { file });
  }
}

export function loadNodeConfig(home: string): NodeConfig {
  const file = configFilePath(home);
  return nodeConfigFromJson(readConfigJson(file, home), home, file);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `base` with `overrides` applied one level deep; undefined overrides change nothing. */
export function mergeConfig(base: NodeConfigFile, overrides: NodeConfigOverrides): NodeConfigFile {
  const out = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? { ...current, ...structuredClone(value) } : structuredClone(value);
  }
  return out as unknown as NodeConfigFile;
}

/**
 * Writes `<home>/config.json`: the existing file (or the defaults, with `fresh` or when there is none) with
 * `overrides` applied, validated first so an invalid result leaves the old file as it was. Returns the path.
 */
export function writeNodeConfig(home: string, overrides: NodeConfigOverrides = {}, options: { fresh?: boolean } = {}): string {
  const file = configFilePath(home);
  const base = !options.fresh && fs.existsSync(file) ? assertConfigFile(readConfigJson(file, home), file) : NODE_CONFIG_DEFAULTS;
  const next = assertConfigFile(mergeConfig(base, overrides), file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(next, null, 2) + "\n", { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new ConfigError("CONFIG_ERROR_WRITE", `cannot write ${file}: ${(err as Error).message}`, { file });
  }
  return file;
}
