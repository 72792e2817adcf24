// Checks a certificate a peer handed over outside the state machine (block sync): signers are distinct valid
// indices in increasing order, they hold more than 2/3 of the set's stake, and every signature verifies over the
// vote's signing bytes. Returns a verdict; never throws on peer input.

import { voteSigningBytes } from "../../consensus/codec/vote-codec.ts";
import type { Ed25519Verify } from "../../consensus/crypto/ed25519.ts";
import type { Verdict } from "../../consensus/errors.ts";
import type { Certificate } from "../../consensus/types.ts";
import type { ValidatorSet } from "../../consensus/validator-set.ts";

export type CertificateCheckCode = "SYNC_REJECT_SIGNERS" | "SYNC_REJECT_NO_QUORUM" | "SYNC_REJECT_BAD_SIGNATURE";

export function checkCertificate(set: ValidatorSet, chainId: bigint, cert: Certificate, verify: Ed25519Verify): Verdict<CertificateCheckCode> {
  let last = -1;
  for (const s of cert.signers) {
    if (!Number.isInteger(s.validator) || s.validator <= last || s.validator >= set.size) {
      return { action: "reject", code: "SYNC_REJECT_SIGNERS", detail: "signers are not increasing valid indices" };
    }
    last = s.validator;
  }
  if (!set.isQuorum(set.stakeOf(cert.signers.map((s) => s.validator)))) return { action: "reject", code: "SYNC_REJECT_NO_QUORUM" };
  const message = voteSigningBytes(chainId, cert);
  for (const s of cert.signers) {
    if (!verify(set.get(s.validator)!.publicKey, message, s.signature)) {
      return { action: "reject", code: "SYNC_REJECT_BAD_SIGNATURE", detail: `signer ${s.validator}` };
    }
  }
  return { action: "accept" };
}
