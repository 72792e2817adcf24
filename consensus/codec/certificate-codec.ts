// Certificates: one vote body with the signatures of more than 2/3 of stake. Signers are strictly increasing
// validator indices, so each certificate has exactly one encoding.

import { ByteReader } from "./byte-reader.ts";
import { ByteWriter } from "./byte-writer.ts";
import { CodecError, type DecodeResult, decodeWith } from "./codec-error.ts";
import { readVoteBody, writeVoteBody } from "./vote-codec.ts";
import { LIMITS, type Certificate } from "../types.ts";

export function writeCertificate(w: ByteWriter, cert: Certificate): void {
  writeVoteBody(w, cert);
  w.list(cert.signers, (ww, s) => ww.u32(s.validator).fixed(s.signature, 64));
}

export function readCertificate(r: ByteReader): Certificate {
  const body = readVoteBody(r);
  let last = -1;
  const signers = r.list(
    LIMITS.maxValidators,
    68,
    (rr) => {
      const at = rr.position;
      const validator = rr.u32("signer index");
      if (validator <= last) {
        throw new CodecError("CODEC_ERROR_NON_CANONICAL", at, "certificate signers must be strictly increasing");
      }
      last = validator;
      return { validator, signature: rr.fixed(64, "signature") };
    },
    "certificate signers",
  );
  return { ...body, signers };
}

export function encodeCertificate(cert: Certificate): Uint8Array {
  const w = new ByteWriter(45 + cert.signers.length * 68);
  writeCertificate(w, cert);
  return w.finish();
}

export function decodeCertificate(bytes: Uint8Array): DecodeResult<Certificate> {
  return decodeWith(() => {
    const r = new ByteReader(bytes);
    const cert = readCertificate(r);
    r.end("certificate");
    return cert;
  });
}
