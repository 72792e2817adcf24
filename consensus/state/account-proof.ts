// Account proofs for wallets and light clients: an account's balance and nonce (or its absence) proven against
// the state root of a finalized header. proveAccount runs on a node; verifyAccountProof is pure and needs only
// the header's state root. Absent and empty accounts are the same thing: balance 0, nonce 0, no leaf.

import type { Address, Hash } from "../types.ts";
import { type Account, encodeAccount, isEmptyAccount } from "./account.ts";
import { getAccount } from "./state-access.ts";
import { accountKey } from "./state-keys.ts";
import { type StateProof, verifyStateProof } from "./state-proof.ts";
import type { WorldState } from "./world-state.ts";

export interface AccountProof {
  address: Address;
  account: Account;
  proof: StateProof;
}

export function proveAccount(state: WorldState, address: Address): AccountProof {
  return { address, account: getAccount(state, address), proof: state.prove(accountKey(address)) };
}

export function verifyAccountProof(stateRoot: Hash, address: Address, account: Account, proof: StateProof): boolean {
  if (address.length !== 20) return false;
  if (account.balance < 0n || account.balance >= 2n ** 256n || account.nonce < 0n || account.nonce >= 2n ** 64n) return false;
  const value = isEmptyAccount(account) ? null : encodeAccount(account);
  return verifyStateProof(stateRoot, accountKey(address), value, proof);
}
