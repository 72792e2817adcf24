// Operating errors of node/store: one coded exception class per component (key-value stores, write-ahead
// log, sign guard). Callers branch on `code`; `data` says where (segment, offset, height) and why.
// A sign guard *refusal* is not an error: authorize() returns it as a verdict (see sign-guard.ts).

import { XdpchainError } from "../../consensus/errors.ts";

export type StoreErrorCode =
  | "STORE_ERROR_CLOSED"
  | "STORE_ERROR_SCHEMA_MISMATCH"
  | "STORE_ERROR_HEIGHT_NOT_NEXT"
  | "STORE_ERROR_PARENT_MISMATCH"
  | "STORE_ERROR_CERTIFICATE_MISMATCH"
  | "STORE_ERROR_CORRUPTED"
  | "STORE_ERROR_LIMIT";

export class StoreError extends XdpchainError<StoreErrorCode> {}

export type WalErrorCode =
  /** A frame in the middle is bad while valid frames follow it: not a torn tail, so nothing is dropped. */
  | "WAL_ERROR_CORRUPTED"
  /** A segment does not start with the expected magic and format version. */
  | "WAL_ERROR_BAD_HEADER"
  /** A segment is missing between two others. */
  | "WAL_ERROR_MISSING_SEGMENT"
  /** A frame's checksum holds but its body is not a known record: a bug or a newer format. */
  | "WAL_ERROR_BAD_RECORD"
  /** A body, a segment or the whole log is over its configured limit. */
  | "WAL_ERROR_LIMIT"
  /** A write or sync failed; the log refuses all further work (fail-stop, see fsync semantics on Linux). */
  | "WAL_ERROR_IO"
  | "WAL_ERROR_FAILED"
  | "WAL_ERROR_CLOSED"
  /** Another process (or another open in this one) holds the directory. */
  | "WAL_ERROR_LOCKED";

export class WalError extends XdpchainError<WalErrorCode> {}

export type SignGuardErrorCode =
  | "SIGN_GUARD_ERROR_BAD_RECORD"
  /** A persist failed earlier; the guard refuses everything until the process restarts. */
  | "SIGN_GUARD_ERROR_FAILED"
  | "SIGN_GUARD_ERROR_CLOSED";

export class SignGuardError extends XdpchainError<SignGuardErrorCode> {}
