// Where the CLI gets a passphrase: a --passphrase-file, else the XDPCHAIN_PASSPHRASE environment variable, else
// a hidden prompt when stdin is a terminal (asked twice when creating a key). Never from a flag value, which
// would land in shell history and `ps`. No source and no terminal is a clear error, never a hang.

import * as fs from "node:fs";
import { KeysError, type PassphraseSource } from "../keys/keys-error.ts";

export const PASSPHRASE_ENV = "XDPCHAIN_PASSPHRASE";
const PASSPHRASE_FILE_BYTES_MAX = 4096;

/** The part of a TTY read stream the prompt uses (process.stdin, or a stand-in in tests). */
export interface PromptInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?: (raw: boolean) => unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface PassphraseOptions {
  /** What the passphrase unlocks, for prompts and errors ("the new account key"); default "the key". */
  purpose?: string;
  /** Creating a key: a prompt asks twice and both answers must match. */
  confirm?: boolean;
  /** A --passphrase-file: wins over the environment and the prompt. */
  file?: string;
  env?: Readonly<Record<string, string | undefined>>;
  input?: PromptInput;
  /** Where prompts are written; stderr by default so stdout stays clean for scripts. */
  output?: { write(text: string): unknown };
}

/** The file's contents without one trailing newline (editors and `echo` add one). */
export function readPassphraseFile(file: string): string {
  let text: string;
  try {
    if (fs.statSync(file).size > PASSPHRASE_FILE_BYTES_MAX) throw new Error(`larger than ${PASSPHRASE_FILE_BYTES_MAX} bytes`);
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new KeysError("KEYS_ERROR_READ", `cannot read passphrase file ${file}: ${(err as Error).message}`, { file });
  }
  const passphrase = text.replace(/\r?\n$/, "");
  if (passphrase.length === 0) throw new KeysError("KEYS_ERROR_NO_PASSPHRASE", `passphrase file ${file} is empty`, { file });
  return passphrase;
}

/** Reads one line from a terminal in raw mode without echoing it. Ctrl-C or Ctrl-D on an empty line aborts. */
export function promptHidden(question: string, input: PromptInput, output: { write(text: string): unknown }): Promise<string> {
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw ?? false;
    let chars: string[] = [];
    const finish = (result: string | null) => {
      input.off("data", onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write("\n");
      if (result === null) reject(new KeysError("KEYS_ERROR_PASSPHRASE_ABORTED", "passphrase prompt aborted"));
      else resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === "\r" || ch === "\n") return finish(chars.join(""));
        if (ch === "\u0003" || (ch === "\u0004" && chars.length === 0)) return finish(null);
        if (ch === "\u007f" || ch === "\b") chars = chars.slice(0, -1);
        else if (ch >= " ") chars.push(ch);
      }
    };
    output.write(question);
    input.setRawMode?.(true);
    input.on("data", onData);
    input.resume();
  });
}

async function askOnTerminal(o: PassphraseOptions, input: PromptInput): Promise<string> {
  const output = o.output ?? process.stderr;
  const first = await promptHidden(`Passphrase for ${o.purpose ?? "the key"}: `, input, output);
  if (first.length === 0) throw new KeysError("KEYS_ERROR_NO_PASSPHRASE", "the passphrase must not be empty");
  if (o.confirm) {
    const second = await promptHidden("Repeat the passphrase: ", input, output);
    if (second !== first) throw new KeysError("KEYS_ERROR_PASSPHRASE_MISMATCH", "the two passphrases differ");
  }
  return first;
}

/** Resolves the passphrase once, on first use, and then returns the same answer (so a prompt is never repeated). */
export function passphraseSource(options: PassphraseOptions): PassphraseSource {
  let answer: Promise<string> | null = null;
  return () => (answer ??= resolvePassphrase(options));
}

export async function resolvePassphrase(o: PassphraseOptions): Promise<string> {
  if (o.file !== undefined) return readPassphraseFile(o.file);
  const fromEnv = (o.env ?? process.env)[PASSPHRASE_ENV];
  if (fromEnv !== undefined) {
    if (fromEnv.length === 0) throw new KeysError("KEYS_ERROR_NO_PASSPHRASE", `${PASSPHRASE_ENV} is set but empty`);
    return fromEnv;
  }
  const input = o.input ?? (process.stdin as PromptInput);
  if (input.isTTY && input.setRawMode) return askOnTerminal(o, input);
  throw new KeysError(
    "KEYS_ERROR_NO_PASSPHRASE",
    `no passphrase for ${o.purpose ?? "the key"}: pass --passphrase-file FILE or set ${PASSPHRASE_ENV} (stdin is not a terminal, so there is no prompt)`,
  );
}
