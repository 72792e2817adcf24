// node/p2p: the control plane over js-libp2p (status, block sync and repair, transaction gossip).
// See control-plane.ts. The data plane (votes, shreds) is node/net.
export { ControlPlane, type ControlPlaneOptions, type PeerStatus, type PeerSummary } from "./control-plane.ts";
export { DEFAULT_CONTROL_PLANE_LIMITS, resolveLimits, type ControlPlaneLimits } from "./control-plane-limits.ts";
export { P2pError, type P2pErrorCode } from "./p2p-error.ts";
export { peerIdFromSecretKey } from "./peer-identity.ts";
export type { ControlPlaneHandlers, ControlPlaneLog, LogLevel } from "./plane-context.ts";
export { protocolId, type ProtocolName } from "./wire-messages.ts";
