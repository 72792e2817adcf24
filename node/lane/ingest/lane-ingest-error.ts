// Operating errors of the lane ingest: a port that cannot be bound, an address that is not one, a verification
// worker that could not start. Peer datagrams never produce one: they are counted and dropped.
import { XdpchainError } from "../../../consensus/errors.ts";

export type LaneIngestErrorCode =
  | "LANE_INGEST_ERROR_INVALID_ADDRESS"
  | "LANE_INGEST_ERROR_ADDRESS_IN_USE"
  | "LANE_INGEST_ERROR_BIND"
  | "LANE_INGEST_ERROR_WORKER"
  | "LANE_INGEST_ERROR_ABORTED"
  | "LANE_INGEST_ERROR_NO_LANE";

export class LaneIngestError extends XdpchainError<LaneIngestErrorCode> {}
