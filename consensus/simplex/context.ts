// The working context of one apply() call: configuration, injected effects, the state being advanced and the
// outputs gathered so far. Helpers in this folder take it instead of long parameter lists.

import type { SimplexState } from "./state.ts";
import type { Output, SimplexConfig, SimplexDeps } from "./types.ts";

export interface Ctx {
  readonly config: SimplexConfig;
  readonly deps: SimplexDeps;
  readonly state: SimplexState;
  readonly out: Output[];
}
