// The node's identity key: an ed25519 secret that libp2p turns into the peer id. Not a validator key (it
// signs no votes) and not secret-shared with anything: a plain hex JSON file of mode 0600 that `xdpchain init`
// creates. Loading checks the public key written beside the secret, so a hand-edited file fails loudly.

import * as crypto from "node:crypto";
import { keyPairFromSeed } from "../../consensus/crypto/ed25519.ts";
import { bytesEqual, fromHex, toHex } from "../../consensus/crypto/hash.ts";
import { KeysError } from "./keys-error.ts";
import { readKeyJson, writeSecretJson } from "./secret-file.ts";

export const NODE_KEY_FILE_TYPE = "xdpchain-node-key";

export interface NodeKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Creates a new random node key at `file`; refuses to replace an existing one (that would change the peer id). */
export function createNodeKey(file: string, seed: Uint8Array = crypto.randomBytes(32)): NodeKey {
  const pair = keyPairFromSeed(seed);
  writeSecretJson(file, { type: NODE_KEY_FILE_TYPE, secretKey: `0x${toHex(pair.secretKey)}`, publicKey: `0x${toHex(pair.publicKey)}` });
  return pair;
}

export function loadNodeKey(file: string): NodeKey {
  const json = readKeyJson(file) as Record<string, unknown> | null;
  const bad = (why: string) => new KeysError("KEYS_ERROR_FORMAT", `node key file ${file}: ${why}`, { file });
  if (typeof json !== "object" || json === null || json.type !== NODE_KEY_FILE_TYPE) throw bad(`type must be "${NODE_KEY_FILE_TYPE}"`);
  const hex32 = /^0x[0-9a-fA-F]{64}$/;
  if (typeof json.secretKey !== "string" || !hex32.test(json.secretKey)) throw bad("secretKey must be 0x followed by 64 hex digits");
  const pair = keyPairFromSeed(fromHex(json.secretKey));
  if (json.publicKey !== undefined) {
    if (typeof json.publicKey !== "string" || !hex32.test(json.publicKey)) throw bad("publicKey must be 0x followed by 64 hex digits");
    if (!bytesEqual(fromHex(json.publicKey), pair.publicKey)) {
      throw new KeysError("KEYS_ERROR_KEY_MISMATCH", `node key file ${file}: secretKey does not belong to publicKey`, { file });
    }
  }
  return pair;
}
