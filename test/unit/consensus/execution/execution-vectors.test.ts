// Golden bytes for every execution codec and for state roots: an encoding, key layout or execution-rule change
// must be deliberate and regenerate the vectors (test/vectors/make-execution-vectors.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { executionVectorCases } from "../../../vectors/execution-vector-cases.ts";
import { fromHex, toHex } from "../../../../consensus/crypto/hash.ts";
import { decodeTransaction, encodeTransaction } from "../../../../consensus/execution/transaction-codec.ts";
import { decodeStakingCall, encodeStakingCall } from "../../../../consensus/execution/staking-call.ts";
import { decodeAccount, encodeAccount } from "../../../../consensus/state/account.ts";
import { decodeValidatorRecord, encodeValidatorRecord } from "../../../../consensus/state/validator-record.ts";
import { decodeEpochRecord, encodeEpochRecord } from "../../../../consensus/state/epoch-record.ts";
import { decodeKeyList, encodeKeyList } from "../../../../consensus/state/key-list.ts";
import { decodeReceipt, encodeReceipt } from "../../../../consensus/execution/receipt.ts";
import { decodeStateProof, encodeStateProof, verifyStateProof } from "../../../../consensus/state/state-proof.ts";
import { nobleRecoverSigner } from "../../../../consensus/execution/recover-signer.ts";
import { accountKey } from "../../../../consensus/state/state-keys.ts";
import { encodeAccount as enc } from "../../../../consensus/state/account.ts";
import { ETHER, accountAddress } from "../../../support/execution-fixtures.ts";

const golden = JSON.parse(readFileSync(new URL("../../../vectors/execution-codecs.json", import.meta.url), "utf8")) as Record<string, string>;

function ok<T>(r: { ok: true; value: T } | { ok: false; detail: string }): T {
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

describe("execution golden vectors", () => {
  const cases = executionVectorCases();
  it("covers exactly the vectors on disk", () => expect(Object.keys(cases).sort()).toEqual(Object.keys(golden).sort()));
  for (const [name, bytes] of Object.entries(cases)) {
    it(`${name} matches the pinned bytes`, () => expect(toHex(bytes)).toBe(golden[name]));
  }

  it("decoders re-encode the pinned bytes identically", () => {
    const pairs: [string, (b: Uint8Array) => Uint8Array][] = [
      ["txLegacy", (b) => encodeTransaction(ok(decodeTransaction(b)).tx)],
      ["txAccessList", (b) => encodeTransaction(ok(decodeTransaction(b)).tx)],
      ["txDynamicFee", (b) => encodeTransaction(ok(decodeTransaction(b)).tx)],
      ["stakingBond", (b) => encodeStakingCall(ok(decodeStakingCall(b)))],
      ["stakingUnbond", (b) => encodeStakingCall(ok(decodeStakingCall(b)))],
      ["stakingUnjail", (b) => encodeStakingCall(ok(decodeStakingCall(b)))],
      ["account", (b) => encodeAccount(ok(decodeAccount(b)))],
      ["validatorRecord", (b) => encodeValidatorRecord(ok(decodeValidatorRecord(b)))],
      ["epochRecord", (b) => encodeEpochRecord(ok(decodeEpochRecord(b)))],
      ["keyList", (b) => encodeKeyList(ok(decodeKeyList(b)))],
      ["receipt", (b) => encodeReceipt(ok(decodeReceipt(b)))],
      ["receiptReverted", (b) => encodeReceipt(ok(decodeReceipt(b)))],
      ["genesisAccountProof", (b) => encodeStateProof(ok(decodeStateProof(b)))],
    ];
    for (const [name, roundTrip] of pairs) expect(toHex(roundTrip(fromHex(golden[name]!))), name).toBe(golden[name]);
  });

  it("pinned transactions recover the Hardhat #0 address and hash to the pinned hashes", () => {
    for (const name of ["txLegacy", "txAccessList", "txDynamicFee"]) {
      const d = ok(decodeTransaction(fromHex(golden[name]!)));
      expect(toHex(d.hash)).toBe(golden[`${name}Hash`]);
      expect(toHex(nobleRecoverSigner(d.signingHash, d.tx.r, d.tx.s, d.tx.yParity)!)).toBe("f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    }
  });

  it("pinned genesis proofs verify against the pinned genesis root", () => {
    const root = fromHex(golden.genesisStateRoot!);
    const present = ok(decodeStateProof(fromHex(golden.genesisAccountProof!)));
    expect(verifyStateProof(root, accountKey(accountAddress(1)), enc({ balance: 1_000_000n * ETHER, nonce: 0n }), present)).toBe(true);
    const absent = ok(decodeStateProof(fromHex(golden.genesisAbsentAccountProof!)));
    expect(verifyStateProof(root, accountKey(accountAddress(77)), null, absent)).toBe(true);
  });
});
