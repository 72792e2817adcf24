// Public surface of net-native: the AF_XDP socket wrapper, its errors, and the loader that explains why the
// addon is unavailable. node/net builds XdpTransport on these; nothing here knows consensus types.
export { loadAddon, requireAddon, type AddonLoad } from "./addon.ts";
export { formatIpv4, parseIpv4, parseMac } from "./ipv4.ts";
export { LaneRingReader, type LaneRecord } from "./lane-ring-reader.ts";
export type * from "./native-types.ts";
export { LANE_DROP_CAUSES } from "./native-types.ts";
export { SharedRingReader, type RingDatagram } from "./shared-ring-reader.ts";
export { TxStager } from "./tx-stager.ts";
export { XdpError, toXdpError, callNative, type XdpErrorCode } from "./xdp-error.ts";
export { XdpSocket, type XdpLaneOptions, type XdpSocketOptions } from "./xdp-socket.ts";
