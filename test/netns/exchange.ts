// Paced datagram exchange between two transports for the netns tests: sends `count` numbered payloads of
// varying sizes at about `perTick` per millisecond tick and records what arrives. Bounded in count and time.
import type { DatagramTransport } from "../../node/net/datagram-transport.ts";
import { checkPayload, testPayload } from "../unit/node/net/transport-compliance.ts";

export interface ExchangeResult {
  received: number;
  unique: number;
  corrupt: number;
}

const SIZES = [16, 64, 200, 512, 1000, 1200];

export function receiveInto(t: DatagramTransport, count: number): ExchangeResult & { seen: Uint8Array } {
  const r = { received: 0, unique: 0, corrupt: 0, seen: new Uint8Array(count) };
  t.onBatch((batch) => {
    for (const d of batch) {
      r.received++;
      const i = checkPayload(d.payload);
      if (i < 0 || i >= count || d.payload.length !== SIZES[i % SIZES.length]) r.corrupt++;
      else if (r.seen[i]!++ === 0) r.unique++;
    }
  });
  return r;
}

export async function sendPaced(from: DatagramTransport, to: DatagramTransport, count: number, perTick: number): Promise<void> {
  for (let i = 0; i < count; ) {
    const n = Math.min(perTick, count - i);
    from.send(Array.from({ length: n }, (_, k) => ({ peer: to.localAddress, payload: testPayload(i + k, SIZES[(i + k) % SIZES.length]!) })));
    i += n;
    await new Promise((r) => setTimeout(r, 1));
  }
}

export async function until(cond: () => boolean, boundMs: number): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return cond();
}
