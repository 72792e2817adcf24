// Codes of the data-plane wire format: verdicts on peer datagrams (ignore/reject, counted by code and never
// thrown) and the coded exceptions for the local side's own mistakes (a message too large to shred, a
// non-validator asked to sign shreds, a payload limit too small for a shred header).

import { XdpchainError, type Verdict } from "../../consensus/errors.ts";

export type WireDropCode =
  | "WIRE_REJECT_TRUNCATED"
  | "WIRE_REJECT_MALFORMED"
  | "WIRE_REJECT_UNKNOWN_FRAME"
  | "WIRE_REJECT_BAD_VERSION"
  | "WIRE_REJECT_WRONG_CHAIN"
  | "WIRE_REJECT_TOO_LARGE"
  | "WIRE_REJECT_BAD_PROOF"
  | "WIRE_REJECT_BAD_SIGNATURE"
  /** A shred names a verified root but disagrees with its signed total size or chunk count. */
  | "WIRE_REJECT_MISMATCH"
  /** A reassembled message's view differs from the view its shreds were signed for. */
  | "WIRE_REJECT_VIEW_MISMATCH"
  | "WIRE_IGNORE_UNSUPPORTED_FEC"
  | "WIRE_IGNORE_UNKNOWN_SENDER"
  | "WIRE_IGNORE_DUPLICATE"
  | "WIRE_IGNORE_COMPLETED"
  | "WIRE_IGNORE_VIEW_TOO_OLD"
  | "WIRE_IGNORE_FULL";

export type WireVerdict = Verdict<WireDropCode>;

export function ignore(code: WireDropCode, detail?: string): WireVerdict {
  return detail === undefined ? { action: "ignore", code } : { action: "ignore", code, detail };
}

export function reject(code: WireDropCode, detail?: string): WireVerdict {
  return detail === undefined ? { action: "reject", code } : { action: "reject", code, detail };
}

export type WireErrorCode =
  | "WIRE_ERROR_MESSAGE_TOO_LARGE"
  | "WIRE_ERROR_PAYLOAD_LIMIT_TOO_SMALL"
  | "WIRE_ERROR_NOT_VALIDATOR"
  | "WIRE_ERROR_BAD_OPTIONS";

export class WireError extends XdpchainError<WireErrorCode> {}

/** Drop counts by code, for stats() and metrics. */
export class DropTally {
  private readonly counts: Record<string, number> = {};
  add(code: string, n = 1): void {
    this.counts[code] = (this.counts[code] ?? 0) + n;
  }
  snapshot(): Record<string, number> {
    return { ...this.counts };
  }
}
