// Operating errors of node/net transports. Peer input never produces one (it is counted and dropped); these
// report the local side's mistakes and environment: a closed transport, a payload over the MTU, an address
// that is not one, a port already taken.
import { XdpchainError } from "../../consensus/errors.ts";
import type { Address, Datagram } from "./datagram-transport.ts";

export type TransportErrorCode =
  | "TRANSPORT_ERROR_CLOSED"
  | "TRANSPORT_ERROR_PAYLOAD_TOO_LARGE"
  | "TRANSPORT_ERROR_INVALID_ADDRESS"
  | "TRANSPORT_ERROR_ADDRESS_IN_USE"
  | "TRANSPORT_ERROR_BIND"
  | "TRANSPORT_ERROR_XDP_UNAVAILABLE";

export class TransportError extends XdpchainError<TransportErrorCode> {}

/** Validates a whole batch before any of it is sent; `parse` returns false for addresses the transport cannot reach. */
export function assertSendable(
  batch: readonly Datagram[],
  closed: boolean,
  payloadMaxBytes: number,
  isAddress: (a: Address) => boolean,
): void {
  if (closed) throw new TransportError("TRANSPORT_ERROR_CLOSED", "send() after close()");
  for (const d of batch) {
    if (d.payload.length > payloadMaxBytes) {
      throw new TransportError("TRANSPORT_ERROR_PAYLOAD_TOO_LARGE", `${d.payload.length} > ${payloadMaxBytes} bytes`, {
        bytes: d.payload.length,
        max: payloadMaxBytes,
      });
    }
    if (!Number.isInteger(d.peer.port) || d.peer.port < 1 || d.peer.port > 65535 || !isAddress(d.peer)) {
      throw new TransportError("TRANSPORT_ERROR_INVALID_ADDRESS", `cannot send to ${d.peer.host}:${d.peer.port}`, {
        host: d.peer.host,
        port: d.peer.port,
      });
    }
  }
}
