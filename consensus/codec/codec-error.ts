// Decode failures. Readers throw CodecError internally; every public decodeX catches it and returns a
// DecodeResult, so bytes from a peer can only ever produce a value or a coded failure, never an exception.

export type CodecErrorCode =
  | "CODEC_ERROR_TRUNCATED"
  | "CODEC_ERROR_TRAILING_BYTES"
  | "CODEC_ERROR_LENGTH_LIMIT"
  | "CODEC_ERROR_BAD_TAG"
  | "CODEC_ERROR_BAD_VALUE"
  | "CODEC_ERROR_NON_CANONICAL";

export class CodecError extends Error {
  constructor(
    readonly code: CodecErrorCode,
    readonly offset: number,
    detail: string,
  ) {
    super(`${code} at byte ${offset}: ${detail}`);
    this.name = "CodecError";
  }
}

export type DecodeResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: CodecErrorCode; offset: number; detail: string };

/** Runs a decoder that may throw CodecError and turns it into a DecodeResult. Other errors are bugs: rethrown. */
export function decodeWith<T>(fn: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof CodecError) {
      return { ok: false, code: err.code, offset: err.offset, detail: err.message };
    }
    throw err;
  }
}

/** For trusted bytes (own disk, own encodings): a failure here is corruption, reported with the codec's reason. */
export function unwrapDecode<T>(result: DecodeResult<T>, what: string): T {
  if (!result.ok) throw new Error(`failed to decode ${what}: ${result.detail}`);
  return result.value;
}
