// The order-lane client: builds order actions (place, cancel, cancel-all, replace, or a batch of up to 32 legs),
// signs them with the ed25519 trading key and sends the same datagram to several validators over UDP (targets from
// lane_info on each RPC URL, or given as host:port), then follows them with lane_orderStatus. It owns the two
// counters the chain checks: the action nonce (u64, per trading key: seeded from the wall clock in µs, then +1,
// never below the floor persisted in the key file) and client order ids (u32, per account: increasing, reserved
// in the key file before use). Not a wallet: registering keys and moving collateral is lane-wallet.ts.

import { setTimeout as sleep } from "node:timers/promises";
import { toHex } from "../../../consensus/crypto/hash.ts";
import { encodeOrderAction, orderId, signOrderAction } from "../../../consensus/lane/order-codec.ts";
import { ORDER_LEGS_MAX, ORDER_VERSION, type OrderAction, type OrderLeg } from "../../../consensus/lane/order.ts";
import type { Address } from "../../../consensus/types.ts";
import { LaneClientError } from "./lane-client-error.ts";
import { LaneRpc, type LaneOrderStatus } from "./lane-rpc.ts";
import { findMarket, toU64, type LaneMarket } from "./market-units.ts";
import { buildLeg, legUsesClientId, type LegSpec, type MarketRef, type PlaceSpec, type ReplaceSpec } from "./order-legs.ts";
import { UdpOrderSender, targetKey, type LaneTarget, type SendReport } from "./order-sender.ts";
import { CLIENT_ORDER_ID_MAX, type TradingKeyFile } from "./trading-key-file.ts";

/** Nonces reserved in the key file per write (ten seconds of the µs clock a restart seeds from). */
export const NONCE_RESERVE = 10_000_000n;
export const CLIENT_ID_BLOCK_DEFAULT = 64;
/** Sent actions kept for resending while their status is unknown. */
const RESEND_KEPT_MAX = 256;
const POLL_MS = 250;
const U64_MAX = (1n << 64n) - 1n;

export interface LaneClientOptions {
  /** JSON-RPC URLs (markets, order status, and lane_info discovery of UDP targets). */
  rpcUrls: readonly string[];
  key: TradingKeyFile;
  /** The account the key is registered for; default: the one recorded in the key file. */
  account?: Address;
  /** Explicit UDP targets; when absent, lane_info on every RPC URL says where to send. */
  targets?: readonly LaneTarget[];
  /** "rpc" sends through lane_sendOrder of the first URL instead of UDP. */
  via?: "udp" | "rpc";
  chainId?: bigint;
  /** Microseconds since the Unix epoch (tests pin it). */
  nowUs?: () => bigint;
  /** Client order ids reserved per key-file write. */
  clientIdBlock?: number;
}

export interface SentAction {
  /** 0x hex sha256 of the signed bytes: what lane_orderStatus takes. */
  orderId: string;
  nonce: bigint;
  /** The ids the place and replace legs use, in leg order. */
  clientOrderIds: number[];
  legs: OrderLeg[];
  bytes: Uint8Array;
  sent: SendReport;
}

export interface WaitProgress {
  status: LaneOrderStatus["status"] | "unknown";
  elapsedMs: number;
  resends: number;
  blockHeight?: number;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (p: WaitProgress) => void;
  /** Resend the kept datagram when no node knows the order after this long (UDP may drop it). */
  resendAfterMs?: number;
  resendMax?: number;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function defaultNowUs(): bigint {
  return BigInt(Date.now()) * 1000n;
}

/** lane_info may name a wildcard bind address; the host of the RPC URL is then where the node is. */
function reachableHost(host: string, url: string): string {
  if (host !== "0.0.0.0" && host !== "::") return host;
  return new URL(url).hostname.replace(/^\[|\]$/g, "");
}

export class LaneClient {
  private markets: LaneMarket[];
  /** null until the first action seeds the counter. */
  private lastNonce: bigint | null = null;
  private nonceReservedEnd = 0n;
  private nextId = 0;
  private idEnd = 0;
  private readonly kept = new Map<string, Uint8Array>();

  private constructor(
    readonly rpc: LaneRpc,
    readonly key: TradingKeyFile,
    readonly account: Address,
    readonly chainId: bigint,
    markets: LaneMarket[],
    private readonly sender: UdpOrderSender | null,
    private readonly nowUs: () => bigint,
    private readonly clientIdBlock: number,
    private readonly idFloor: number,
  ) {
    this.markets = markets;
  }

  static async open(o: LaneClientOptions): Promise<LaneClient> {
    const rpc = new LaneRpc(o.rpcUrls);
    const account = o.account ?? o.key.account;
    if (!account) {
      throw new LaneClientError("LANE_CLIENT_ERROR_KEY_FILE", `${o.key.file} names no account yet: register the key first ('xdpchain lane register')`, { file: o.key.file });
    }
    const via = o.via ?? "udp";
    const discovered = via === "udp" && !o.targets?.length ? await LaneClient.discover(rpc) : { targets: [...(o.targets ?? [])], chainId: undefined };
    const chainId = o.chainId ?? discovered.chainId ?? (await rpc.chainId());
    const markets = await rpc.markets();
    const sender = via === "udp" ? await UdpOrderSender.open(discovered.targets) : null;
    const idFloor = await LaneClient.accountIdFloor(rpc, account);
    return new LaneClient(rpc, o.key, account, chainId, markets, sender, o.nowUs ?? defaultNowUs, o.clientIdBlock ?? CLIENT_ID_BLOCK_DEFAULT, idFloor);
  }

  /** lane_info on every URL: the UDP target of each node that answers, and the chain id one of them reports. */
  static async discover(rpc: LaneRpc): Promise<{ targets: LaneTarget[]; chainId: bigint | undefined }> {
    const answers = await Promise.allSettled(rpc.urls.map((u) => rpc.info(u)));
    const targets: LaneTarget[] = [];
    const problems: string[] = [];
    let chainId: bigint | undefined;
    answers.forEach((a, i) => {
      if (a.status === "rejected") problems.push(`${rpc.urls[i]}: ${(a.reason as Error).message}`);
      else {
        targets.push({ host: reachableHost(a.value.host, rpc.urls[i]!), port: a.value.port });
        chainId ??= a.value.chainId;
      }
    });
    if (targets.length === 0) {
      throw new LaneClientError("LANE_CLIENT_ERROR_NO_TARGETS", `lane_info answered on none of the RPC URLs (give --target host:port to send anyway): ${problems.join("; ")}`, { problems });
    }
    return { targets, chainId };
  }

  /**
   * If lane_account reports the account's highest client order id (lastClientOrderId or lastNonce), new ids start
   * above it, so a fresh key file on an account that already traded does not reuse the engine's handles.
   */
  private static async accountIdFloor(rpc: LaneRpc, account: Address): Promise<number> {
    try {
      const a = await rpc.account(`0x${toHex(account)}`);
      const v = a?.lastClientOrderId ?? a?.lastNonce;
      return typeof v === "number" && Number.isSafeInteger(v) && v >= 0 && v < CLIENT_ORDER_ID_MAX ? v + 1 : 1;
    } catch {
      return 1;
    }
  }

  get targets(): string[] {
    return this.sender ? this.sender.targets.map(targetKey) : [`rpc ${this.rpc.urls[0]}`];
  }

  get marketList(): readonly LaneMarket[] {
    return this.markets;
  }

  market(ref: MarketRef): LaneMarket {
    return findMarket(this.markets, ref);
  }

  async refreshMarkets(): Promise<readonly LaneMarket[]> {
    this.markets = await this.rpc.markets();
    return this.markets;
  }

  place(spec: PlaceSpec & { goodTilBlock?: bigint | number }): Promise<SentAction> {
    return this.batch([{ kind: "place", ...spec }], { goodTilBlock: spec.goodTilBlock });
  }

  cancel(market: MarketRef, clientOrderId: number): Promise<SentAction> {
    return this.batch([{ kind: "cancel", market, clientOrderId }]);
  }

  /** Every resting order of one market, or of all markets when `market` is absent. */
  cancelAll(market?: MarketRef): Promise<SentAction> {
    return this.batch([market === undefined ? { kind: "cancel-all" } : { kind: "cancel-all", market }]);
  }

  replace(spec: ReplaceSpec): Promise<SentAction> {
    return this.batch([{ kind: "replace", ...spec }]);
  }

  /** Up to ORDER_LEGS_MAX legs under one signature, executed in leg order at one assigned time. */
  async batch(specs: readonly LegSpec[], o: { goodTilBlock?: bigint | number } = {}): Promise<SentAction> {
    const signed = this.sign(specs, o);
    const sent = await this.transmit(signed.bytes);
    this.keep(signed.orderId, signed.bytes);
    return { ...signed, sent };
  }

  /** Builds and signs without sending (spends a nonce and the client order ids). */
  sign(specs: readonly LegSpec[], o: { goodTilBlock?: bigint | number } = {}): Omit<SentAction, "sent"> & { action: OrderAction } {
    if (specs.length < 1 || specs.length > ORDER_LEGS_MAX) {
      throw new LaneClientError("LANE_CLIENT_ERROR_LEG_COUNT", `one action carries 1..${ORDER_LEGS_MAX} legs, got ${specs.length}`, { legs: specs.length });
    }
    // Check every leg before spending ids: a typo in leg 7 must not burn a block of ids and a nonce.
    specs.forEach((s, i) => this.checkLeg(s, i));
    const first = this.allocateClientIds(specs.filter(legUsesClientId).length);
    let next = first;
    const legs = specs.map((s) => buildLeg(this.markets, s, legUsesClientId(s) ? next++ : 0));
    const body = {
      version: ORDER_VERSION, chainId: this.chainId, account: this.account, tradingKey: this.key.publicKey,
      nonce: this.nextNonce(), goodTilBlock: o.goodTilBlock === undefined ? 0n : toU64(o.goodTilBlock, "good-til-block"), legs,
    };
    const action = signOrderAction(body, this.key.secretKey);
    const clientOrderIds = legs.filter((l) => l.clientOrderId !== 0).map((l) => l.clientOrderId);
    return { orderId: `0x${toHex(orderId(body))}`, nonce: body.nonce, clientOrderIds, legs, bytes: encodeOrderAction(action), action };
  }

  private checkLeg(spec: LegSpec, index: number): void {
    try {
      buildLeg(this.markets, spec, 1);
    } catch (err) {
      if (err instanceof LaneClientError) throw new LaneClientError(err.code, `leg ${index}: ${err.message.replace(/^[A-Z_]+: /, "")}`, err.data);
      throw err;
    }
  }

  private async transmit(bytes: Uint8Array): Promise<SendReport> {
    if (this.sender) return this.sender.send(bytes);
    await this.rpc.sendOrder(`0x${toHex(bytes)}`);
    return { sent: 1, failed: [] };
  }

  private keep(id: string, bytes: Uint8Array): void {
    this.kept.set(id, bytes);
    if (this.kept.size > RESEND_KEPT_MAX) this.kept.delete(this.kept.keys().next().value!);
  }

  /**
   * Seeded once from the wall clock (µs) or the key file's floor, whichever is higher, then +1 per action:
   * consecutive nonces let the chain's 64-nonce window (nonce-window.ts) absorb reordering between actions sent
   * close together, which clock readings per action (µs apart) would not. The clock outruns a restarted client's
   * counter; the persisted floor covers a clock that was set back.
   */
  nextNonce(): bigint {
    const n = this.lastNonce === null ? max(this.nowUs(), this.key.nonceFloor) : this.lastNonce + 1n;
    if (n > U64_MAX) throw new LaneClientError("LANE_CLIENT_ERROR_KEY_FILE", `${this.key.file}: action nonces are used up; generate a new key`, { file: this.key.file });
    if (n >= this.nonceReservedEnd) {
      this.key.reserveNonces(n + NONCE_RESERVE);
      this.nonceReservedEnd = n + NONCE_RESERVE;
    }
    this.lastNonce = n;
    return n;
  }

  /** `count` consecutive fresh client order ids; the first is returned. Reserved in the key file first. */
  allocateClientIds(count: number): number {
    if (count === 0) return 0;
    if (this.idEnd - this.nextId < count) {
      const block = Math.max(count, this.clientIdBlock);
      this.nextId = this.key.reserveClientOrderIds(block, this.idFloor);
      this.idEnd = this.nextId + block;
    }
    const first = this.nextId;
    this.nextId += count;
    return first;
  }

  /** Polls lane_orderStatus on every URL until the order is executed or rejected. */
  async waitForOrder(orderIdHex: string, o: WaitOptions): Promise<LaneOrderStatus> {
    const started = Date.now();
    const resendAfterMs = o.resendAfterMs ?? 1_500;
    let resends = 0;
    let unknownSince = started;
    for (;;) {
      if (o.signal?.aborted) throw new LaneClientError("LANE_CLIENT_ERROR_ABORTED", `stopped waiting for order ${orderIdHex}`, { orderId: orderIdHex });
      const status = await this.rpc.orderStatus(orderIdHex).catch(() => null);
      const now = Date.now();
      const state = status?.status ?? "unknown";
      o.onProgress?.({ status: state, elapsedMs: now - started, resends, ...(status?.blockHeight !== undefined ? { blockHeight: status.blockHeight } : {}) });
      if (status && status.status !== "pending") return status;
      if (status) unknownSince = now;
      const bytes = this.kept.get(orderIdHex);
      if (!status && bytes && now - unknownSince >= resendAfterMs && resends < (o.resendMax ?? 3)) {
        await this.transmit(bytes).catch(() => undefined);
        resends++;
        unknownSince = now;
      }
      if (now - started >= o.timeoutMs) {
        throw new LaneClientError("LANE_CLIENT_ERROR_TIMEOUT", `order ${orderIdHex} is still ${state} after ${o.timeoutMs} ms`, { orderId: orderIdHex, status: state });
      }
      await sleep(POLL_MS, undefined, o.signal ? { signal: o.signal } : undefined).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.sender?.close();
  }
}
