// Nonce window: each nonce once, out-of-order inside 64, too old below, canonical 16-byte encoding.
import { describe, expect, it } from "vitest";
import { acceptNonce, decodeNonceWindow, EMPTY_NONCE_WINDOW, encodeNonceWindow, type NonceWindow } from "../../../../consensus/lane/nonce-window.ts";

function take(w: NonceWindow, n: bigint): NonceWindow {
  const r = acceptNonce(w, n);
  if (!r.ok) throw new Error(`nonce ${n}: ${r.code}`);
  return r.window;
}

describe("nonce window", () => {
  it("accepts each nonce once, in any order inside the window", () => {
    let w = EMPTY_NONCE_WINDOW;
    for (const n of [10n, 12n, 11n, 5n, 73n]) w = take(w, n);
    expect(acceptNonce(w, 12n)).toEqual({ ok: false, code: "NONCE_ERROR_REUSED" });
    expect(acceptNonce(w, 73n)).toEqual({ ok: false, code: "NONCE_ERROR_REUSED" });
    expect(acceptNonce(w, 9n)).toEqual({ ok: false, code: "NONCE_ERROR_TOO_OLD" }); // 73 - 9 = 64
    expect(acceptNonce(w, 10n)).toEqual({ ok: false, code: "NONCE_ERROR_REUSED" }); // 73 - 10 = 63: still inside
    w = take(w, 72n);
    expect(acceptNonce(w, 72n).ok).toBe(false);
  });

  it("a jump past the window forgets everything below it; nonce 0 and u64 max are usable", () => {
    let w = take(EMPTY_NONCE_WINDOW, 0n);
    expect(acceptNonce(w, 0n).ok).toBe(false);
    w = take(w, 1000n);
    expect(w.seen).toBe(1n);
    w = take(w, 2n ** 64n - 1n);
    expect(acceptNonce(w, 2n ** 64n - 1n).ok).toBe(false);
    expect(acceptNonce(w, 2n ** 64n)).toEqual({ ok: false, code: "NONCE_ERROR_OUT_OF_RANGE" });
  });

  it("keeps the bitmap within 64 bits and does not mutate its input", () => {
    let w = EMPTY_NONCE_WINDOW;
    for (let n = 0n; n < 200n; n += 3n) w = take(w, n);
    expect(w.seen < 2n ** 64n).toBe(true);
    const before = { ...w };
    acceptNonce(w, 500n);
    expect(w).toEqual(before);
  });

  it("encodes in 16 bytes and rejects non-canonical bitmaps", () => {
    const w = take(take(EMPTY_NONCE_WINDOW, 7n), 9n);
    const bytes = encodeNonceWindow(w);
    expect(bytes.length).toBe(16);
    expect(decodeNonceWindow(bytes)).toEqual({ ok: true, value: w });
    const bad = bytes.slice();
    bad[15] = 0x02; // highest nonce not marked
    expect(decodeNonceWindow(bad)).toMatchObject({ ok: false, code: "CODEC_ERROR_NON_CANONICAL" });
    expect(decodeNonceWindow(bytes.subarray(0, 15)).ok).toBe(false);
  });
});
