// Regenerates test/vectors/genesis.json (the devnet genesis encoding, hash and state root, derived keys). Run only when
// the genesis encoding or the devnet defaults change on purpose: `npx tsx test/vectors/make-genesis-vectors.ts`.

import { writeFileSync } from "node:fs";
import { toHex } from "../../consensus/crypto/hash.ts";
import { devnetValidatorKey, generateDevnetGenesis } from "../../genesis/devnet-genesis.ts";
import { encodeGenesis, genesisHash } from "../../genesis/genesis-hash.ts";
import { genesisWorldState } from "../../genesis/genesis-state-input.ts";

const { genesis } = generateDevnetGenesis({ validators: 4 });
const { genesis: withoutLane } = generateDevnetGenesis({ validators: 4, lane: null });
const out = {
  /** A chain without the order lane: the encoding every genesis had before the lane section existed. */
  devnet4NoLaneHash: toHex(genesisHash(withoutLane)),
  devnet4Encoding: toHex(encodeGenesis(genesis)),
  devnet4Hash: toHex(genesisHash(genesis)),
  devnetValidatorKey0: toHex(devnetValidatorKey("xdpchain-devnet", 0).publicKey),
  devnet4StateRoot: toHex(genesisWorldState(genesis).stateRoot),
};
writeFileSync(new URL("./genesis.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
console.log("wrote genesis vectors");
