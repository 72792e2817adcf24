// Types of the compiled addon's surface (binding/*.cc). Hand-written to match the C++: the binding is the only
// source of truth, and net-native/test checks the shapes at run time. Not exported beyond net-native/src.

export type BindModeOption = "auto" | "skb" | "drv";
export type PollModeOption = "wakeup" | "busy";

export interface NativeEngineOptions {
  ifname: string;
  localIp: number;
  ports: number[];
  queues: number[];
  mode?: BindModeOption;
  poll?: PollModeOption;
  frameBytes?: number;
  rxFrames?: number;
  txFrames?: number;
  ringSlots?: number;
  ringSlotBytes?: number;
  batchMax?: number;
  stagingBytes?: number;
  rxCpu?: number;
  lane?: NativeLaneOptions;
}

/** The order lane (native/lane_pipeline.h): one more UDP port on the same program and sockets. */
export interface NativeLaneOptions {
  port: number;
  chainId: bigint;
  /** tag("laneOrder") as consensus/crypto/domains.ts makes it. */
  domainTag: Uint8Array;
  verifyThreads?: number;
  /** Per verifier thread, power of two, 16..65536 (default 1024). */
  verifyQueueSlots?: number;
  dedupeCapacity?: number;
  /** Lane ring slots, power of two, 64..65536 (default 4096). */
  ringSlots?: number;
}

/** Why the lane dropped a datagram (native/lane_order.h LaneVerdict, in that order). */
export type LaneDropCause = "malformed" | "wrongChain" | "badSignature" | "duplicate" | "laneRingFull" | "verifyQueueFull";

export const LANE_DROP_CAUSES: readonly LaneDropCause[] = [
  "malformed",
  "wrongChain",
  "badSignature",
  "duplicate",
  "laneRingFull",
  "verifyQueueFull",
];

export interface NativeLaneStats {
  /** Datagrams to the lane port. */
  received: number;
  /** Orders published to the lane ring. */
  accepted: number;
  batches: number;
  wakeups: number;
  drops: Record<LaneDropCause, number>;
  dedupeEntries: number;
  dedupeEvictions: number;
  /** Orders submitted and not yet published or dropped. */
  verifyQueued: number;
}

export interface NativeRxCounters {
  frames: number;
  datagrams: number;
  bytes: number;
  batches: number;
  wakeups: number;
  ringFull: number;
  polls: number;
  checksumPartial: number;
  refused: Record<RefusedCause, number>;
}

export type RefusedCause =
  | "truncated"
  | "malformed"
  | "fragment"
  | "badChecksum"
  | "wrongAddress"
  | "wrongPort"
  | "oversize";

export interface NativeTxCounters {
  datagrams: number;
  bytes: number;
  kicks: number;
  kickErrors: number;
  ringFull: number;
  invalid: number;
  completions: number;
}

export interface NativeKernelStats {
  rxDropped: number;
  rxInvalidDescs: number;
  txInvalidDescs: number;
  rxRingFull: number;
  fillRingEmpty: number;
  txRingEmpty: number;
}

export interface NativeSteerStats {
  redirected: number;
  noSocket: number;
  passNotIpv4: number;
  passNotUdp: number;
  passOtherAddress: number;
  passOtherPort: number;
  passFragment: number;
  passTruncated: number;
}

export interface NativeEngineStats {
  queues: { queue: number; rx: NativeRxCounters; tx: NativeTxCounters; kernel: NativeKernelStats }[];
  program: NativeSteerStats;
  /** Present when the engine was opened with a lane. */
  lane?: NativeLaneStats;
}

export interface NativeEngineDescription {
  ifindex: number;
  mac: string;
  mtu: number;
  rxQueues: number;
  mode: "skb" | "drv";
  queues: number[];
  zeroCopy: boolean[];
  /** bind() attempts that met EBUSY while the kernel released a previous socket on the queue. */
  bindRetries: number;
  lane?: { port: number; verifyThreads: number; verifyQueueSlots: number; dedupeCapacity: number; ringSlots: number };
}

export interface NativeResolveResult {
  state: "valid" | "pending" | "failed";
  nextHop: number;
  mac?: Uint8Array;
  why?: string;
}

export interface NativeEngine {
  buffers(): { rings: ArrayBuffer[]; staging: ArrayBuffer; lane?: ArrayBuffer };
  send(queueIndex: number, bytes: number, count: number): number;
  resolve(ip: number): NativeResolveResult;
  stats(): NativeEngineStats;
  describe(): NativeEngineDescription;
  close(): void;
}

export interface NativeFakeNic {
  buffer(): ArrayBuffer;
  inject(spec: {
    count: number;
    payloadBytes?: number;
    firstSeq?: number;
    badChecksumEvery?: number;
    truncateEvery?: number;
    wrongPortEvery?: number;
  }): void;
  waitInjected(): void;
  stats(): NativeRxCounters & { injected: number };
  close(): void;
}

/** The lane pipeline without a socket: tests submit datagrams as a receive thread would. */
export interface NativeLaneHarness {
  buffer(): ArrayBuffer;
  submit(datagrams: Uint8Array[], source: { srcIp: number; srcPort: number; stampUs?: number }): void;
  stats(): NativeLaneStats;
  close(): void;
}

export interface NativeFrameSpec {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  srcIp: number;
  dstIp: number;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  ipId?: number;
}

export interface NativeAddon {
  abiVersion: number;
  XdpEngine: new (options: NativeEngineOptions, onWake: () => void) => NativeEngine;
  FakeNic: new (
    options: { frames?: number; ringSlots?: number; ringSlotBytes?: number; batchMax?: number; poll?: PollModeOption; port?: number },
    onWake: () => void,
  ) => NativeFakeNic;
  LaneHarness: new (lane: NativeLaneOptions, onWake: () => void) => NativeLaneHarness;
  probe(): { afXdp: boolean; errno: number; error?: string };
  interfaceInfo(ifname: string): { ifindex: number; mtu: number; rxQueues: number; mac: Uint8Array };
  netnsEnter(name: string): number;
  netnsRestore(handle: number): void;
  frameBuild(spec: NativeFrameSpec): Uint8Array;
  frameParse(
    frame: Uint8Array,
    filter: { localIp: number; ports: number[]; payloadMax?: number },
  ): { verdict: "ok" | RefusedCause; srcIp?: number; srcPort?: number; dstPort?: number; payload?: Uint8Array };
  steerTestRun(
    config: { localIp: number; ports: number[] },
    frames: Uint8Array[],
  ): { actions: number[]; stats: NativeSteerStats };
}
