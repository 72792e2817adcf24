// Operating errors of node/keys: key files that cannot be read, parsed or decrypted, passphrases that are
// missing or do not match. A wrong passphrase is always its own code (detected by MAC or AEAD tag), never
// garbage key bytes. Messages name the file; they never contain secret material.

import { XdpchainError } from "../../consensus/errors.ts";

export type KeysErrorCode =
  | "KEYS_ERROR_READ"
  | "KEYS_ERROR_WRITE"
  | "KEYS_ERROR_FORMAT"
  | "KEYS_ERROR_UNSUPPORTED"
  | "KEYS_ERROR_WRONG_PASSPHRASE"
  /** The decrypted secret does not belong to the public key or address written beside it. */
  | "KEYS_ERROR_KEY_MISMATCH"
  | "KEYS_ERROR_INVALID_KEY"
  | "KEYS_ERROR_EXISTS"
  | "KEYS_ERROR_NO_PASSPHRASE"
  | "KEYS_ERROR_PASSPHRASE_MISMATCH"
  | "KEYS_ERROR_PASSPHRASE_ABORTED";

export class KeysError extends XdpchainError<KeysErrorCode, { file?: string }> {}

/** Where a passphrase comes from: asked only when a file actually needs one (plain devnet keys never do). */
export type PassphraseSource = () => Promise<string> | string;
