// The well-known development accounts: BIP-39 mnemonic "test test ... junk" (no passphrase), BIP-32 path
// m/44'/60'/0'/0/i, the same accounts Hardhat and Anvil fund (account 0 is 0xf39F...2266). Their private
// keys are public knowledge: devnets and tests only.

import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { addressOfPrivateKey } from "./eth-address.ts";

export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
export const DEV_ACCOUNTS_MAX = 1000;

export interface DevAccount {
  index: number;
  address: Uint8Array;
  privateKey: Uint8Array;
}

let root: HDKey | null = null;

/** The accounts at m/44'/60'/0'/0/i for i in [from, from + count). */
export function devAccounts(count: number, from = 0): DevAccount[] {
  if (!Number.isInteger(from) || !Number.isInteger(count) || from < 0 || count < 0 || from + count > DEV_ACCOUNTS_MAX) {
    throw new RangeError(`dev accounts must lie within 0..${DEV_ACCOUNTS_MAX}`);
  }
  if (!root) {
    if (!validateMnemonic(DEV_MNEMONIC, wordlist)) throw new Error("the development mnemonic failed its BIP-39 checksum");
    root = HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_MNEMONIC)).derive("m/44'/60'/0'/0");
  }
  const out: DevAccount[] = [];
  for (let i = from; i < from + count; i++) {
    const privateKey = root.deriveChild(i).privateKey!;
    out.push({ index: i, address: addressOfPrivateKey(privateKey), privateKey });
  }
  return out;
}
