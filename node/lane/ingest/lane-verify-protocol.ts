// Messages between the UDP lane path (lane-verify-pool.ts, JavaScript thread) and its verification workers
// (lane-verify-worker.ts). Datagrams travel concatenated in one transferred buffer with their lengths; results come
// back as one verdict byte and one 32-byte order id slot per datagram, in the order sent.

export type LaneVerifierKind = "node" | "noble";

export interface LaneWorkerData {
  /** tag("laneOrder"). */
  domainTag: Uint8Array;
  dedupeCapacity: number;
  /** node:crypto (OpenSSL, ~70 µs) or @noble/curves (~1.4 ms here); the same strict rule either way. */
  verifier: LaneVerifierKind;
}

export interface VerifyRequest {
  type: "verify";
  round: number;
  shard: number;
  data: Uint8Array;
  lengths: Uint32Array;
}

/** Accepted orders the JavaScript thread could not hold (laneRingFull): the worker must not remember them. */
export interface ForgetRequest {
  type: "forget";
  /** 40-byte dedupe keys, concatenated. */
  keys: Uint8Array;
}

export type LaneWorkerRequest = VerifyRequest | ForgetRequest;

export interface VerifyReply {
  type: "verified";
  round: number;
  shard: number;
  verdicts: Uint8Array;
  ids: Uint8Array;
}

export type LaneWorkerReply = { type: "ready" } | VerifyReply;

export const VERDICT_OK = 0;
export const VERDICT_BAD_SIGNATURE = 1;
export const VERDICT_DUPLICATE = 2;
