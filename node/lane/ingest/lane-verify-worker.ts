// A verification worker of the UDP lane path (worker_threads): for each datagram of a batch, drops it as a
// duplicate if its (trading key, nonce) was accepted recently, else verifies the ed25519 signature over
// tag("laneOrder") || header || legs and computes the order id, remembering what it accepts. Each worker owns
// the keys of its shard (lane-datagram.ts dedupeShard), so its dedupe is exact. Started through
// lane-verify-worker.mjs, which gives the thread a TypeScript loader.
import { createHash } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";

import { ED25519_SIGNATURE_BYTES, nobleVerify, type Ed25519Verify } from "../../../consensus/crypto/ed25519.ts";
import { createNodeEd25519Verify } from "../../crypto/ed25519-node.ts";
import { DEDUPE_KEY_BYTES, TRADING_KEY_OFFSET } from "./lane-datagram.ts";
import { LaneDedupe } from "./lane-dedupe.ts";
import {
  VERDICT_BAD_SIGNATURE,
  VERDICT_DUPLICATE,
  VERDICT_OK,
  type LaneWorkerData,
  type LaneWorkerReply,
  type LaneWorkerRequest,
  type VerifyRequest,
} from "./lane-verify-protocol.ts";

const port = parentPort!;
const config = workerData as LaneWorkerData;
const tag = config.domainTag;
const dedupe = new LaneDedupe(config.dedupeCapacity);
const verify: Ed25519Verify = config.verifier === "noble" ? nobleVerify : createNodeEd25519Verify();

function dedupeKey(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset + TRADING_KEY_OFFSET, DEDUPE_KEY_BYTES).toString("latin1");
}

function check(b: Uint8Array, idOut: Uint8Array): number {
  const key = dedupeKey(b);
  if (dedupe.has(key)) return VERDICT_DUPLICATE; // accepted already: not worth a verification
  const bodyBytes = b.length - ED25519_SIGNATURE_BYTES;
  const message = new Uint8Array(tag.length + bodyBytes);
  message.set(tag);
  message.set(b.subarray(0, bodyBytes), tag.length);
  if (!verify(b.subarray(TRADING_KEY_OFFSET, TRADING_KEY_OFFSET + 32), message, b.subarray(bodyBytes))) return VERDICT_BAD_SIGNATURE;
  dedupe.add(key);
  idOut.set(createHash("sha256").update(message).digest());
  return VERDICT_OK;
}

function verifyBatch(m: VerifyRequest): void {
  const n = m.lengths.length;
  const verdicts = new Uint8Array(n);
  const ids = new Uint8Array(32 * n);
  for (let i = 0, at = 0; i < n; at += m.lengths[i]!, i++) {
    verdicts[i] = check(m.data.subarray(at, at + m.lengths[i]!), ids.subarray(32 * i, 32 * i + 32));
  }
  const reply: LaneWorkerReply = { type: "verified", round: m.round, shard: m.shard, verdicts, ids };
  port.postMessage(reply, [verdicts.buffer, ids.buffer]);
}

port.on("message", (m: LaneWorkerRequest) => {
  if (m.type === "verify") return verifyBatch(m);
  for (let at = 0; at + DEDUPE_KEY_BYTES <= m.keys.length; at += DEDUPE_KEY_BYTES) {
    dedupe.delete(Buffer.from(m.keys.buffer, m.keys.byteOffset + at, DEDUPE_KEY_BYTES).toString("latin1"));
  }
});
port.postMessage({ type: "ready" } satisfies LaneWorkerReply);
