// DatagramTransport over a SimNetwork: what the deterministic simulation gives each node. Same contract as
// the real transports, including the borrowed-payload rule, which it enforces: after the handler returns, the
// payloads it saw are overwritten with 0xEE, so code that keeps a view instead of a copy fails in simulation
// rather than in production.
import {
  DropCounter,
  type Address,
  type BatchHandler,
  type Datagram,
  type DatagramTransport,
  type TransportStats,
} from "./datagram-transport.ts";
import type { SimNetwork } from "./sim-network.ts";
import { assertSendable, TransportError } from "./transport-error.ts";

export interface SimTransportOptions {
  /** Overwrite delivered payloads after the handler returns (default true). */
  poisonAfterHandler?: boolean;
}

export class SimTransport implements DatagramTransport {
  readonly kind = "sim" as const;
  readonly payloadMaxBytes: number;
  private handler: BatchHandler | null = null;
  private closed = false;
  private readonly poison: boolean;
  private readonly rxDrops = new DropCounter();
  private rxDatagrams = 0;
  private rxBytes = 0;
  private rxBatches = 0;
  private txDatagrams = 0;
  private txBytes = 0;

  private constructor(
    private readonly network: SimNetwork,
    readonly localAddress: Address,
    options: SimTransportOptions,
  ) {
    this.payloadMaxBytes = network.payloadMaxBytes;
    this.poison = options.poisonAfterHandler ?? true;
  }

  /** Synchronous: binding to a simulated address involves no I/O. Throws ADDRESS_IN_USE if taken. */
  static open(network: SimNetwork, address: Address, options: SimTransportOptions = {}): SimTransport {
    const t = new SimTransport(network, address, options);
    if (!network.attach(address, { deliver: (b) => t.deliver(b) })) {
      throw new TransportError("TRANSPORT_ERROR_ADDRESS_IN_USE", `${address.host}:${address.port} is taken`);
    }
    return t;
  }

  private deliver(batch: Datagram[]): void {
    if (this.closed) return;
    if (!this.handler) return this.rxDrops.add("noHandler", batch.length);
    const fit = batch.filter((d) => d.payload.length <= this.payloadMaxBytes);
    if (fit.length < batch.length) this.rxDrops.add("oversize", batch.length - fit.length);
    if (fit.length === 0) return;
    this.rxDatagrams += fit.length;
    for (const d of fit) this.rxBytes += d.payload.length;
    this.rxBatches++;
    try {
      this.handler(fit);
    } finally {
      if (this.poison) for (const d of fit) d.payload.fill(0xee);
    }
  }

  send(batch: readonly Datagram[]): void {
    assertSendable(batch, this.closed, this.payloadMaxBytes, (a) => a.host.length > 0);
    for (const d of batch) this.txBytes += d.payload.length;
    this.txDatagrams += batch.length;
    this.network.transmit(this.localAddress, batch);
  }

  onBatch(handler: BatchHandler | null): void {
    this.handler = handler;
  }

  stats(): TransportStats {
    return {
      rxDatagrams: this.rxDatagrams,
      rxBytes: this.rxBytes,
      rxBatches: this.rxBatches,
      txDatagrams: this.txDatagrams,
      txBytes: this.txBytes,
      rxDrops: this.rxDrops.snapshot(),
      txDrops: {},
    };
  }

  async close(_signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.network.detach(this.localAddress);
  }
}
