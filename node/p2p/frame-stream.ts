// Length-prefixed frames over a libp2p v3 Stream (event based: 'message', 'end', 'close'; send() + onDrain()).
// Wire format: a 4-byte big-endian body length, then the body. Every read names its own maximum body size and
// is checked against the header before anything is allocated; every wait takes an AbortSignal. Reading never
// throws: a peer's bytes give a FrameReadResult. The reader pauses the stream (yamux then stops granting
// window) while it holds more than one maximum frame, so a peer cannot make it buffer without bound.
import type { Stream, StreamCloseEvent, StreamMessageEvent } from "@libp2p/interface";
import { P2pError } from "./p2p-error.ts";

export const FRAME_HEADER_BYTES = 4;
/** The receive window the control plane configures for yamux (see control-plane.ts); bounds paused buffering. */
export const YAMUX_STREAM_WINDOW_MAX_BYTES = 4 * 1024 * 1024;

/** Our own buffer's floor, so small-frame protocols still read ahead a little. */
const BUFFER_FLOOR_BYTES = 64 * 1024;

export type FrameErrorCode =
  | "FRAME_ERROR_OVERSIZE" // header announces more than the reader allows
  | "FRAME_ERROR_TRUNCATED" // stream ended inside a frame
  | "FRAME_ERROR_TIMEOUT" // the signal fired first
  | "FRAME_ERROR_RESET"; // stream reset or aborted (by either side)

export type FrameReadResult =
  | { kind: "frame"; body: Uint8Array }
  | { kind: "end" } // clean end of stream on a frame boundary
  | { kind: "error"; code: FrameErrorCode; detail: string };

export class FrameReader {
  private readonly chunks: Uint8Array[] = [];
  private bufferedBytes = 0;
  private bufferLimitBytes = BUFFER_FLOOR_BYTES;
  private endSeen = false;
  private closeSeen = false;
  private failure: string | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Stream) {
    // While paused, libp2p keeps what is in flight (at most one yamux window) in its own buffer and resets the
    // stream beyond maxReadBufferLength; make room for a full window so pausing is never mistaken for abuse.
    stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, 2 * YAMUX_STREAM_WINDOW_MAX_BYTES);
    stream.addEventListener("message", this.onMessage);
    stream.addEventListener("end", this.onEnd);
    stream.addEventListener("close", this.onClose);
    if (stream.readableEnded) this.endSeen = true;
    if (stream.status === "closed" || stream.status === "reset" || stream.status === "aborted") this.onClose(undefined);
  }

  /** Reads the next frame whose body is at most maxBodyBytes. After an error result the stream is unusable. */
  async readFrame(maxBodyBytes: number, signal: AbortSignal): Promise<FrameReadResult> {
    this.bufferLimitBytes = Math.max(BUFFER_FLOOR_BYTES, FRAME_HEADER_BYTES + maxBodyBytes);
    for (;;) {
      if (this.bufferedBytes >= FRAME_HEADER_BYTES) {
        const bodyBytes = this.peekHeader();
        if (bodyBytes > maxBodyBytes) {
          return { kind: "error", code: "FRAME_ERROR_OVERSIZE", detail: `frame of ${bodyBytes} > ${maxBodyBytes} bytes` };
        }
        if (this.bufferedBytes >= FRAME_HEADER_BYTES + bodyBytes) {
          this.take(FRAME_HEADER_BYTES);
          return { kind: "frame", body: this.take(bodyBytes) };
        }
      }
      if (this.failure !== undefined) return { kind: "error", code: "FRAME_ERROR_RESET", detail: this.failure };
      if (this.isEnded()) {
        if (this.bufferedBytes === 0) return { kind: "end" };
        return { kind: "error", code: "FRAME_ERROR_TRUNCATED", detail: `stream ended ${this.bufferedBytes} bytes into a frame` };
      }
      if (signal.aborted) return { kind: "error", code: "FRAME_ERROR_TIMEOUT", detail: "timed out waiting for a frame" };
      if (this.stream.readStatus === "paused") this.stream.resume();
      await this.waitForInput(signal);
    }
  }

  /** Detaches from the stream; buffered bytes are dropped. */
  release(): void {
    this.stream.removeEventListener("message", this.onMessage);
    this.stream.removeEventListener("end", this.onEnd);
    this.stream.removeEventListener("close", this.onClose);
    this.chunks.length = 0;
    this.bufferedBytes = 0;
    this.wakeUp();
  }

  private isEnded(): boolean {
    return (this.endSeen || this.closeSeen) && this.stream.readBufferLength === 0;
  }

  private readonly onMessage = (evt: StreamMessageEvent): void => {
    const bytes = evt.data.subarray();
    if (bytes.byteLength === 0) return;
    this.chunks.push(bytes);
    this.bufferedBytes += bytes.byteLength;
    if (this.bufferedBytes >= this.bufferLimitBytes && this.stream.readStatus === "readable") this.stream.pause();
    this.wakeUp();
  };

  private readonly onEnd = (): void => {
    this.endSeen = true;
    this.wakeUp();
  };

  private readonly onClose = (evt: StreamCloseEvent | undefined): void => {
    this.closeSeen = true;
    const error = evt?.error;
    if (error !== undefined || this.stream.status === "reset" || this.stream.status === "aborted") {
      this.failure = error?.message ?? `stream ${this.stream.status}`;
    } else if (this.stream.readBufferLength > 0 && this.stream.readStatus === "paused") {
      this.stream.resume(); // let libp2p hand over what it still holds
    }
    this.wakeUp();
  };

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private waitForInput(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener("abort", done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }

  private peekHeader(): number {
    const header = new Uint8Array(FRAME_HEADER_BYTES);
    let filled = 0;
    for (const chunk of this.chunks) {
      const n = Math.min(chunk.byteLength, FRAME_HEADER_BYTES - filled);
      header.set(chunk.subarray(0, n), filled);
      filled += n;
      if (filled === FRAME_HEADER_BYTES) break;
    }
    return new DataView(header.buffer).getUint32(0, false);
  }

  /** Removes n buffered bytes (n <= bufferedBytes) into a fresh array that does not alias network buffers. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const used = Math.min(chunk.byteLength, n - filled);
      out.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.byteLength) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.bufferedBytes -= n;
    return out;
  }
}

export function encodeFrameHeader(bodyBytes: number): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, bodyBytes, false);
  return header;
}

/**
 * Ends our side gracefully, then waits (until the signal) for the peer to end its side; a peer that never does
 * gets the stream reset, so a finished stream cannot hold one of its inbound stream slots forever. Never throws.
 */
export async function finishStream(stream: Stream, signal: AbortSignal): Promise<void> {
  try {
    await stream.close({ signal });
    if (stream.status === "open" || stream.status === "closing") {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.removeEventListener("close", done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        stream.addEventListener("close", done);
        signal.addEventListener("abort", done);
        if (signal.aborted) done();
      });
    }
  } catch {
    // the signal fired or the stream was already gone; reset below
  }
  if (stream.status === "open" || stream.status === "closing") stream.abort(new Error("stream not closed by peer in time"));
}

/**
 * Writes one frame and waits for the stream to drain if its buffer is full, so a writer holds at most one
 * frame queued per stream. Throws P2pError (P2P_ERROR_STREAM, or P2P_ERROR_TIMEOUT when the signal fired).
 */
export async function writeFrame(stream: Stream, body: Uint8Array, signal: AbortSignal): Promise<void> {
  if (body.byteLength > 0xffffffff) throw new P2pError("P2P_ERROR_INVALID_ARGUMENT", "frame body over 4 GiB");
  try {
    stream.send(encodeFrameHeader(body.byteLength));
    const roomLeft = body.byteLength === 0 ? true : stream.send(body);
    if (!roomLeft) await stream.onDrain({ signal });
  } catch (err) {
    if (signal.aborted) throw new P2pError("P2P_ERROR_TIMEOUT", "timed out writing a frame");
    throw new P2pError("P2P_ERROR_STREAM", `write failed: ${(err as Error).message}`);
  }
}
