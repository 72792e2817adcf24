// Length-prefixed framing over a stand-in for the libp2p v3 Stream (events in, send() out): frames split
// anywhere, limits checked from the header before the body arrives, end/truncation/reset/timeout as results,
// and the reader pausing the stream instead of buffering without bound.
import type { Stream } from "@libp2p/interface";
import { describe, expect, it } from "vitest";

import { encodeFrameHeader, FrameReader, writeFrame } from "../../../../node/p2p/frame-stream.ts";

/** Just the Stream surface FrameReader and writeFrame use, driven by the test. */
class FakeStream extends EventTarget {
  status = "open";
  readStatus = "readable";
  readBufferLength = 0;
  readableEnded = false;
  maxReadBufferLength = 4 * 1024 * 1024;
  writableNeedsDrain = false;
  sent: Uint8Array[] = [];
  pauses = 0;
  feed(bytes: Uint8Array): void {
    this.dispatchEvent(Object.assign(new Event("message"), { data: bytes }));
  }
  end(): void {
    this.readableEnded = true;
    this.dispatchEvent(new Event("end"));
  }
  reset(): void {
    this.status = "reset";
    this.dispatchEvent(Object.assign(new Event("close"), { error: new Error("remote reset") }));
  }
  pause(): void {
    this.readStatus = "paused";
    this.pauses++;
  }
  resume(): void {
    this.readStatus = "readable";
  }
  send(data: Uint8Array): boolean {
    this.sent.push(data);
    return !this.writableNeedsDrain;
  }
  async onDrain(): Promise<void> {}
  asStream(): Stream {
    return this as unknown as Stream;
  }
}

function frame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set(encodeFrameHeader(body.length));
  out.set(body, 4);
  return out;
}

const never = new AbortController().signal;

describe("FrameReader", () => {
  it("reassembles frames split at every byte, header included, and ends cleanly", async () => {
    const fake = new FakeStream();
    const reader = new FrameReader(fake.asStream());
    const wire = new Uint8Array([...frame(Uint8Array.of(1, 2, 3)), ...frame(new Uint8Array(0)), ...frame(Uint8Array.of(9))]);
    const first = reader.readFrame(16, never); // waiting before any byte arrives
    for (const b of wire) fake.feed(Uint8Array.of(b));
    fake.end();
    expect(await first).toEqual({ kind: "frame", body: Uint8Array.of(1, 2, 3) });
    expect(await reader.readFrame(16, never)).toEqual({ kind: "frame", body: new Uint8Array(0) });
    expect(await reader.readFrame(16, never)).toEqual({ kind: "frame", body: Uint8Array.of(9) });
    expect(await reader.readFrame(16, never)).toEqual({ kind: "end" });
  });

  it("rejects an oversize frame from its header alone, before any body byte", async () => {
    const fake = new FakeStream();
    const reader = new FrameReader(fake.asStream());
    fake.feed(encodeFrameHeader(1_000_000));
    expect(await reader.readFrame(1000, never)).toMatchObject({ kind: "error", code: "FRAME_ERROR_OVERSIZE" });
  });

  it("reports a stream that ends inside a frame as truncated, and a reset as reset", async () => {
    const truncated = new FakeStream();
    const r1 = new FrameReader(truncated.asStream());
    truncated.feed(frame(Uint8Array.of(1, 2, 3, 4)).subarray(0, 6));
    truncated.end();
    expect(await r1.readFrame(16, never)).toMatchObject({ kind: "error", code: "FRAME_ERROR_TRUNCATED" });

    const reset = new FakeStream();
    const r2 = new FrameReader(reset.asStream());
    const pending = r2.readFrame(16, never);
    reset.reset();
    expect(await pending).toMatchObject({ kind: "error", code: "FRAME_ERROR_RESET" });
  });

  it("returns a timeout when the signal fires first, and keeps no listener behind", async () => {
    const fake = new FakeStream();
    const reader = new FrameReader(fake.asStream());
    const controller = new AbortController();
    const pending = reader.readFrame(16, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ kind: "error", code: "FRAME_ERROR_TIMEOUT" });
    reader.release();
    fake.feed(frame(Uint8Array.of(1))); // detached: must not throw or buffer
  });

  it("pauses the stream once it holds a full frame that nobody reads, and resumes when asked for more", async () => {
    const fake = new FakeStream();
    const reader = new FrameReader(fake.asStream());
    const big = new Uint8Array(100_000).fill(5);
    await reader.readFrame(100_000, AbortSignal.timeout(1)); // sets the limit; times out with nothing sent
    fake.feed(frame(big));
    fake.feed(frame(big));
    expect(fake.readStatus).toBe("paused");
    expect((await reader.readFrame(100_000, never)).kind).toBe("frame");
    expect((await reader.readFrame(100_000, never)).kind).toBe("frame");
    const third = reader.readFrame(100_000, AbortSignal.timeout(20));
    expect(fake.readStatus).toBe("readable");
    expect((await third).kind).toBe("error");
  });

  it("raises libp2p's paused-buffer allowance to cover a yamux window", () => {
    const fake = new FakeStream();
    new FrameReader(fake.asStream());
    expect(fake.maxReadBufferLength).toBeGreaterThanOrEqual(8 * 1024 * 1024);
  });
});

describe("writeFrame", () => {
  it("sends header and body without copying the body", async () => {
    const fake = new FakeStream();
    const body = Uint8Array.of(4, 5, 6);
    await writeFrame(fake.asStream(), body, never);
    expect(Array.from(fake.sent[0]!)).toEqual([0, 0, 0, 3]);
    expect(fake.sent[1]).toBe(body);
  });

  it("turns a send failure into P2P_ERROR_STREAM", async () => {
    const fake = new FakeStream();
    fake.send = () => {
      throw new Error("closed");
    };
    await expect(writeFrame(fake.asStream(), Uint8Array.of(1), never)).rejects.toMatchObject({ code: "P2P_ERROR_STREAM" });
  });
});
