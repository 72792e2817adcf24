// Maps a loaded genesis to execution's input (consensus/execution/genesis-state.ts) and builds the state at
// height 0. The loader has already checked the file; createGenesisState checks its own rules again (the
// staking system address, for one) and names the field in its own coded error.

import { createGenesisState, type GenesisState } from "../consensus/execution/genesis-state.ts";
import type { WorldState } from "../consensus/state/world-state.ts";
import type { Genesis } from "./genesis.ts";
import { genesisLaneState } from "./genesis-lane.ts";

export function toGenesisStateInput(g: Genesis): GenesisState {
  return {
    params: { ...g.params },
    accounts: g.accounts.map((a) => ({ address: a.address.slice(), balance: a.balance })),
    validators: g.validators.map((v) => ({ publicKey: v.publicKey.slice(), operator: v.operator.slice(), stake: v.stake })),
    ...(g.lane ? { lane: genesisLaneState(g.lane, g.validators) } : {}),
  };
}

export function genesisWorldState(g: Genesis): WorldState {
  return createGenesisState(toGenesisStateInput(g));
}
