// Chooses the data-plane transport: `xdp` (AF_XDP or an error), `udp`, or `auto`, which uses AF_XDP where it
// can and otherwise logs one line saying why not and uses UDP. Never falls back silently.
import { XdpError } from "../../net-native/src/index.ts";
import type { DatagramTransport } from "./datagram-transport.ts";
import { TransportError } from "./transport-error.ts";
import { UdpTransport, type UdpTransportOptions } from "./udp-transport.ts";
import { interfaceForAddress, xdpUnavailableReason } from "./xdp-support.ts";
import { XdpTransport, type XdpTransportOptions } from "./xdp-transport.ts";

export type TransportChoice = "auto" | "xdp" | "udp";

export interface OpenTransportOptions {
  choice: TransportChoice;
  host: string;
  port: number;
  /** Interface for AF_XDP; found from `host` when absent. */
  interface?: string;
  xdp?: Partial<Omit<XdpTransportOptions, "host" | "port" | "interface">>;
  udp?: Partial<Omit<UdpTransportOptions, "host" | "port">>;
  log?: (line: string) => void;
}

export interface OpenedTransport {
  transport: DatagramTransport;
  /** Set when `auto` fell back to UDP: the reason that was logged. */
  fallbackReason?: string;
}

const FRAME_BYTES = 2048;

export async function openTransport(o: OpenTransportOptions): Promise<OpenedTransport> {
  const log = o.log ?? ((line: string) => console.warn(line));
  const openUdp = (): Promise<UdpTransport> => UdpTransport.open({ ...o.udp, host: o.host, port: o.port });
  if (o.choice === "udp") return { transport: await openUdp() };

  const frames = o.xdp?.frames ?? 2048;
  const reason = xdpUnavailableReason({ host: o.host, interface: o.interface, umemBytes: frames * 2 * FRAME_BYTES });
  if (reason === null) {
    try {
      const ifname = o.interface ?? interfaceForAddress(o.host)!;
      return { transport: await XdpTransport.open({ ...o.xdp, interface: ifname, host: o.host, port: o.port }) };
    } catch (err) {
      if (!(err instanceof XdpError) || o.choice === "xdp") throw err;
      return fallBack(`${err.code}: ${err.message}`);
    }
  }
  if (o.choice === "xdp") throw new TransportError("TRANSPORT_ERROR_XDP_UNAVAILABLE", reason, { reason });
  return fallBack(reason);

  async function fallBack(why: string): Promise<OpenedTransport> {
    log(`transport: AF_XDP unavailable, using UDP on ${o.host}:${o.port}: ${why}`);
    return { transport: await openUdp(), fallbackReason: why };
  }
}
