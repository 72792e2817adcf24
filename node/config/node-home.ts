// A node home directory and how `xdpchain init` creates one: config.json, a copy of the genesis, the node
// identity key, keys/ (account keystores, validator keys) and data/. Everything is checked before anything is
// written, so a bad genesis or key file leaves no half-made home. Not the node's runtime (it only reads these).

import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { bytesEqual } from "../../consensus/crypto/hash.ts";
import { genesisHash } from "../../genesis/genesis-hash.ts";
import { loadGenesisFile } from "../../genesis/genesis-loader.ts";
import { createNodeKey, loadNodeKey } from "../keys/node-key.ts";
import { readValidatorKeyPublic } from "../keys/validator-key-store.ts";
import { ConfigError } from "./config-error.ts";
import { CONFIG_FILE_NAME, mergeConfig, nodeConfigFromJson, writeNodeConfig, type NodeConfigOverrides } from "./node-config.ts";
import { NODE_CONFIG_DEFAULTS } from "./node-config-schema.ts";

export const HOME_LAYOUT = {
  config: CONFIG_FILE_NAME,
  genesis: "genesis.json",
  nodeKey: "node-key.json",
  keysDir: "keys",
  dataDir: "data",
} as const;

/** The devnet genesis shipped with the repository: what `init` uses when no --genesis is given. */
export const SHIPPED_DEVNET_GENESIS = fileURLToPath(new URL("../../genesis/devnet.json", import.meta.url));

export interface InitHomeOptions {
  home: string;
  /** Defaults to SHIPPED_DEVNET_GENESIS. */
  genesisFile?: string;
  /** A validator key file (encrypted or plain devnet) to copy into keys/; without one the node is a follower. */
  validatorKeyFile?: string;
  /** Rewrite config.json and genesis.json of an existing home; the node key, keys/ and data/ are kept. */
  force?: boolean;
  overrides?: NodeConfigOverrides;
}

export interface InitHomeResult {
  home: string;
  configFile: string;
  genesisFile: string;
  genesisSource: string;
  chainId: bigint;
  genesisHash: Uint8Array;
  nodeKeyFile: string;
  nodeKeyCreated: boolean;
  nodePublicKey: Uint8Array;
  validatorKeyFile: string | null;
  validatorPublicKey: Uint8Array | null;
  /** False when the validator key is not in the genesis validator set (it can still join by staking). */
  validatorInGenesis: boolean | null;
  keysDir: string;
  dataDir: string;
  /** The home already had chain data: with a changed genesis it must be deleted by hand. */
  dataDirHadData: boolean;
}

function isInitialized(home: string): boolean {
  return [HOME_LAYOUT.config, HOME_LAYOUT.genesis, HOME_LAYOUT.nodeKey].some((f) => fs.existsSync(path.join(home, f)));
}

function checkHome(home: string, force: boolean): void {
  if (fs.existsSync(home) && !fs.statSync(home).isDirectory()) {
    throw new ConfigError("CONFIG_ERROR_HOME", `${home} exists and is not a directory`, { file: home });
  }
  if (!force && isInitialized(home)) {
    throw new ConfigError("CONFIG_ERROR_HOME_EXISTS", `${home} is already a node home; pass --force to rewrite its config and genesis`, {
      file: home,
    });
  }
}

function copyInto(source: string, target: string, mode: number): void {
  if (path.resolve(source) === path.resolve(target)) return;
  try {
    fs.copyFileSync(source, target);
    fs.chmodSync(target, mode);
  } catch (err) {
    throw new ConfigError("CONFIG_ERROR_WRITE", `cannot copy ${source} to ${target}: ${(err as Error).message}`, { file: target });
  }
}

/** A validator key already in keys/ is never replaced, not even with --force: that could lose a key. */
function checkValidatorKeyTarget(source: string, target: string): void {
  if (!fs.existsSync(target) || path.resolve(source) === path.resolve(target)) return;
  if (!fs.readFileSync(source).equals(fs.readFileSync(target))) {
    throw new ConfigError("CONFIG_ERROR_HOME_EXISTS", `${target} already exists with a different key; remove it or rename the new key file`, {
      file: target,
    });
  }
}

/** Creates (or with `force`, refreshes) a node home. */
export function initNodeHome(options: InitHomeOptions): InitHomeResult {
  const home = path.resolve(options.home);
  const force = options.force ?? false;
  checkHome(home, force);
  // Check every input before writing anything.
  const genesisSource = path.resolve(options.genesisFile ?? SHIPPED_DEVNET_GENESIS);
  const genesis = loadGenesisFile(genesisSource);
  const validatorPublic = options.validatorKeyFile ? readValidatorKeyPublic(options.validatorKeyFile) : null;
  const validatorRel = options.validatorKeyFile ? path.join(HOME_LAYOUT.keysDir, path.basename(options.validatorKeyFile)) : null;
  const overrides: NodeConfigOverrides = { ...options.overrides, ...(validatorRel ? { validatorKeyFile: validatorRel } : {}) };
  if (options.validatorKeyFile && validatorRel) checkValidatorKeyTarget(options.validatorKeyFile, path.join(home, validatorRel));
  const planned = nodeConfigFromJson(mergeConfig(NODE_CONFIG_DEFAULTS, overrides), home);

  const keysDir = path.join(home, HOME_LAYOUT.keysDir);
  const dataDir = planned.dataDir;
  const dataDirHadData = fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0;
  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new ConfigError("CONFIG_ERROR_WRITE", `cannot create ${home}: ${(err as Error).message}`, { file: home });
  }
  const genesisFile = path.join(home, HOME_LAYOUT.genesis);
  copyInto(genesisSource, genesisFile, 0o644);
  if (options.validatorKeyFile && validatorRel) copyInto(options.validatorKeyFile, path.join(home, validatorRel), 0o600);

  const nodeKeyFile = planned.nodeKeyFile;
  const nodeKeyCreated = !fs.existsSync(nodeKeyFile);
  const nodeKey = nodeKeyCreated ? createNodeKey(nodeKeyFile) : loadNodeKey(nodeKeyFile);
  const configFile = writeNodeConfig(home, overrides, { fresh: true });
  return {
    home,
    configFile,
    genesisFile,
    genesisSource,
    chainId: genesis.chainId,
    genesisHash: genesisHash(genesis),
    nodeKeyFile,
    nodeKeyCreated,
    nodePublicKey: nodeKey.publicKey,
    validatorKeyFile: planned.validatorKeyFile,
    validatorPublicKey: validatorPublic?.publicKey ?? null,
    validatorInGenesis: validatorPublic ? genesis.validators.some((v) => bytesEqual(v.publicKey, validatorPublic.publicKey)) : null,
    keysDir,
    dataDir,
    dataDirHadData,
  };
}
