// Worker-thread entry of the UDP lane path. A worker thread does not inherit the TypeScript loader that tsx or
// vitest gives the main thread, so this plain module registers tsx (a no-op where it is already there) and then
// loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./lane-verify-worker.ts");
