// node/net: the data plane's datagram transports and how one is chosen. See datagram-transport.ts.
export * from "./datagram-transport.ts";
export { NeighbourTable, type NeighbourAnswer } from "./neighbour-table.ts";
export { ManualScheduler, realScheduler, type Scheduler } from "./scheduler.ts";
export { seededRandom } from "./seeded-random.ts";
export { openTransport, type OpenedTransport, type OpenTransportOptions, type TransportChoice } from "./select-transport.ts";
export { SimNetwork, type LinkConditions, type SimNetworkOptions, type SimNetworkStats } from "./sim-network.ts";
export { SimTransport, type SimTransportOptions } from "./sim-transport.ts";
export { TransportError, type TransportErrorCode } from "./transport-error.ts";
export { UdpTransport, type UdpTransportOptions } from "./udp-transport.ts";
export { XdpTransport, type XdpTransportOptions } from "./xdp-transport.ts";
export { xdpUnavailableReason } from "./xdp-support.ts";
