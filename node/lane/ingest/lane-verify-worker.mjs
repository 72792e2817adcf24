// Worker-thread entry of the UDP lane path. A worker thread does not inherit the TypeScript loader that vitest
// (or tsx's register() API, as bin/xdpchain.js uses it) gives the main thread, so this plain module registers tsx
// and then loads the TypeScript worker. Under `node --import tsx` the worker already has tsx; a second
// registration is harmless (checked: both ways load the worker).
import { register } from "tsx/esm/api";

register();
await import("./lane-verify-worker.ts");
