// Reading and writing the small JSON files that hold keys. Secret files are created with mode 0600 (and
// chmod'ed, since the umask cannot widen but an existing file may be wider), written to a temporary name and
// renamed so a crash never leaves half a key. Not for large or frequently written files.

import * as fs from "node:fs";
import * as path from "node:path";
import { KeysError } from "./keys-error.ts";

const KEY_FILE_BYTES_MAX = 64 * 1024;

/** Writes `value` as JSON; refuses to replace an existing file unless `overwrite`. */
export function writeSecretJson(file: string, value: unknown, overwrite = false): void {
  if (!overwrite && fs.existsSync(file)) {
    throw new KeysError("KEYS_ERROR_EXISTS", `${file} already exists; refusing to overwrite a key file`, { file });
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new KeysError("KEYS_ERROR_WRITE", `cannot write ${file}: ${(err as Error).message}`, { file });
  }
}

export function readKeyJson(file: string): unknown {
  let text: string;
  try {
    if (fs.statSync(file).size > KEY_FILE_BYTES_MAX) throw new Error(`larger than ${KEY_FILE_BYTES_MAX} bytes`);
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new KeysError("KEYS_ERROR_READ", `cannot read key file ${file}: ${(err as Error).message}`, { file });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new KeysError("KEYS_ERROR_FORMAT", `key file ${file} is not valid JSON: ${(err as Error).message}`, { file });
  }
}
