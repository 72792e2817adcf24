// Public surface of the Simplex state machine: construct a SimplexMachine with config and injected effects,
// create a state with initialState (or restoreState after a crash), then feed inputs and perform outputs in order.

export { SimplexMachine, type ApplyResult, type SimplexVerdict } from "./machine.ts";
export { initialState, type SimplexState } from "./state.ts";
export { restoreState, type PersistedState } from "./restore.ts";
export { guardRefusal } from "./own-votes.ts";
export { walRecordView } from "./wal-record-view.ts";
export * from "./epoch.ts";
export * from "./types.ts";
