// Every fast-check property runs from one seed, so CI replays exactly what it ran before. Set
// XDPCHAIN_PROPERTY_SEED to explore other sequences; a failure prints the seed and path that replay it.
import fc from "fast-check";

const raw = process.env.XDPCHAIN_PROPERTY_SEED ?? "20261202";
const seed = Number(raw);
if (!Number.isSafeInteger(seed)) throw new Error(`XDPCHAIN_PROPERTY_SEED must be an integer, got "${raw}"`);
fc.configureGlobal({ seed });
