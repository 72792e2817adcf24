// Operating errors of the control plane (node/p2p): what a local caller of ControlPlane sees when a request
// cannot be answered (peer unknown, unreachable, timed out, answered badly) or the plane is stopped.
// Peer input never throws inside the plane: servers reset the stream and log; only the requesting caller
// receives one of these, and branches on `code`.
import { XdpchainError } from "../../consensus/errors.ts";

export type P2pErrorCode =
  /** start() or a request after stop(). */
  | "P2P_ERROR_STOPPED"
  /** A bad option or argument from the local caller (a count over the limit, a key of the wrong size). */
  | "P2P_ERROR_INVALID_ARGUMENT"
  /** The named peer is not connected or has not passed the status handshake. */
  | "P2P_ERROR_PEER_UNKNOWN"
  /** Opening the stream failed: connection gone, protocol not supported, muxer refused. */
  | "P2P_ERROR_STREAM"
  /** The caller's signal or the request timeout fired first. */
  | "P2P_ERROR_TIMEOUT"
  /** The peer is on another chain (other chain id, so no shared protocols, or another genesis hash). */
  | "P2P_ERROR_INCOMPATIBLE_PEER"
  /** The peer answered with bytes that break the protocol (oversize, malformed, too many items, reset). */
  | "P2P_ERROR_BAD_RESPONSE"
  /** libp2p could not be created or could not listen. */
  | "P2P_ERROR_START";

export class P2pError extends XdpchainError<P2pErrorCode> {}
