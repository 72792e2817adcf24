// A small seeded PRNG (SFC32: Chris Doty-Humphrey's "small fast chaotic" generator) for the simulated network
// and tests. Same seed, same sequence, on every machine. Not for keys or anything an adversary may predict.

/** Returns a function producing floats in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next(); // mix the seed through the state before the first output
  return next;
}
