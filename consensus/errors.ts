// Coded errors shared by every module. Operating errors are instances of a module subclass carrying a string
// `code` (MODULE_ERROR_...) and structured data; callers branch on `code`, never on the message text.
// Peer input never throws past node/net: decoders return results, validators return verdicts.

export class XdpchainError<Code extends string = string, Data = Record<string, unknown>> extends Error {
  readonly code: Code;
  readonly data: Data;

  constructor(code: Code, message: string, data: Data = {} as Data) {
    super(`${code}: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.data = data;
  }
}

/** A broken invariant: a programmer error. Never caught and continued; the node halts with a clear log line. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = "InvariantError";
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/** Outcome of validating peer input (Lodestar style): ignore drops it quietly, reject also penalises the peer. */
export type Verdict<Code extends string = string> =
  | { action: "accept" }
  | { action: "ignore"; code: Code; detail?: string }
  | { action: "reject"; code: Code; detail?: string };

export const ACCEPT = { action: "accept" } as const;
