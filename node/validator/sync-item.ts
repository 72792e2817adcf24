// One item of a blocks-by-range answer on the control plane: a finalized block and the finalization that covers
// it (its own, or a descendant's when it was finalized as an ancestor). Encoding: u32 block length, the block,
// then the certificate. Decoding is peer input: a result, never a throw.

import { decodeBlock, encodeBlock } from "../../consensus/codec/block-codec.ts";
import { decodeCertificate, encodeCertificate } from "../../consensus/codec/certificate-codec.ts";
import { LIMITS, type Block, type Certificate } from "../../consensus/types.ts";

export interface SyncItem {
  block: Block;
  certificate: Certificate;
}

export function encodeSyncItem(block: Block, certificate: Certificate): Uint8Array {
  const b = encodeBlock(block);
  const c = encodeCertificate(certificate);
  const out = new Uint8Array(4 + b.length + c.length);
  new DataView(out.buffer).setUint32(0, b.length);
  out.set(b, 4);
  out.set(c, 4 + b.length);
  return out;
}

export function decodeSyncItem(bytes: Uint8Array): { ok: true; value: SyncItem } | { ok: false; detail: string } {
  if (bytes.length < 4) return { ok: false, detail: "truncated" };
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (len > LIMITS.maxBlockBytes || 4 + len > bytes.length) return { ok: false, detail: "block length out of range" };
  const block = decodeBlock(bytes.subarray(4, 4 + len));
  if (!block.ok) return { ok: false, detail: `block: ${block.detail}` };
  const certificate = decodeCertificate(bytes.subarray(4 + len));
  if (!certificate.ok) return { ok: false, detail: `certificate: ${certificate.detail}` };
  return { ok: true, value: { block: block.value, certificate: certificate.value } };
}
