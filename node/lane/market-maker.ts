// A bounded, simple devnet market maker, so a new user's first order has something to trade against. It
// registers a trading key for one account, deposits collateral, then every interval requotes each market with
// one signed action: cancel-all for the market, then `levels` post-only GTC bids and asks around the mark
// (lane_markets markTicks), `spacingBps` apart, a few lots each. Post-only means it never takes liquidity; the
// lane's fair order runs its requote (cancel and post-only class) before takers of the same block. Not a
// strategy: no inventory skew, no hedging. Stops on its AbortSignal, cancelling its orders on the way out.

import { setTimeout as sleep } from "node:timers/promises";
import { toHex } from "../../consensus/crypto/hash.ts";
import { ORDER_LEGS_MAX } from "../../consensus/lane/order.ts";
import { RpcClientError } from "../devnet/rpc-client.ts";
import { LaneClient } from "./client/lane-client.ts";
import { LaneClientError } from "./client/lane-client-error.ts";
import { LaneRpc } from "./client/lane-rpc.ts";
import { LaneWallet } from "./client/lane-wallet.ts";
import { formatQuote, type LaneMarket } from "./client/market-units.ts";
import type { LegSpec } from "./client/order-legs.ts";
import type { LaneTarget } from "./client/order-sender.ts";
import { TradingKeyFile } from "./client/trading-key-file.ts";

/** One cancel-all leg plus a bid and an ask per level must fit one action. */
export const MARKET_MAKER_LEVELS_MAX = Math.floor((ORDER_LEGS_MAX - 1) / 2);
/** Orders whose status is followed at once; older ones are dropped (counted as unknown). */
const PENDING_MAX = 64;
const PENDING_GIVE_UP_MS = 30_000;
const SETUP_ATTEMPTS_MAX = 90;
const SETUP_RETRY_MS = 2_000;
const SUMMARY_EVERY_ROUNDS = 10;

export interface QuoteParams {
  levels: number;
  lotsPerLevel: number;
  /** Distance between levels, in basis points of the mark (at least one tick). */
  spacingBps: number;
}

export interface MarketMakerOptions extends QuoteParams {
  rpcUrls: readonly string[];
  /** secp256k1 key of the account that trades (registers the key and deposits). */
  walletKey: Uint8Array;
  keyFile: string;
  /** Collateral to hold, quote units: topped up at start when below half of it. */
  depositQuote: bigint;
  intervalMs: number;
  /** Symbols to quote; default every market. */
  markets?: readonly string[];
  targets?: readonly LaneTarget[];
  log: (line: string) => void;
}

export interface MarketMakerStats {
  rounds: number;
  actionsSent: number;
  actionsExecuted: number;
  actionsRejected: number;
  legsRejected: number;
  statusUnknown: number;
  errors: number;
  rejectionsByCode: Map<string, number>;
}

/** The legs of one requote of `market`: cancel-all, then bid and ask per level, inside the market's ranges. */
export function quoteLegs(market: LaneMarket, p: QuoteParams): LegSpec[] {
  if (!Number.isInteger(p.levels) || p.levels < 1 || p.levels > MARKET_MAKER_LEVELS_MAX) throw new RangeError(`levels must be 1..${MARKET_MAKER_LEVELS_MAX}`);
  const mark = market.markTicks;
  const spacing = Math.max(1, Math.floor((mark * p.spacingBps) / 10_000));
  const lots = Math.min(p.lotsPerLevel, market.maxOrderLots);
  const legs: LegSpec[] = [{ kind: "cancel-all", market: market.id }];
  for (let i = 1; i <= p.levels; i++) {
    const bid = mark - i * spacing;
    const ask = mark + i * spacing;
    if (bid >= 1) legs.push({ kind: "place", market: market.id, side: "buy", tif: "post-only", priceTicks: bid, sizeLots: lots });
    if (ask <= market.maxPriceTicks) legs.push({ kind: "place", market: market.id, side: "sell", tif: "post-only", priceTicks: ask, sizeLots: lots });
  }
  return legs;
}

export class MarketMaker {
  readonly stats: MarketMakerStats = {
    rounds: 0, actionsSent: 0, actionsExecuted: 0, actionsRejected: 0, legsRejected: 0, statusUnknown: 0, errors: 0, rejectionsByCode: new Map(),
  };
  private client: LaneClient | null = null;
  private readonly pending: { orderId: string; sentAt: number }[] = [];

  constructor(private readonly o: MarketMakerOptions) {
    if (o.rpcUrls.length === 0) throw new RangeError("the market maker needs an RPC URL");
    if (!Number.isInteger(o.levels) || o.levels < 1 || o.levels > MARKET_MAKER_LEVELS_MAX) throw new RangeError(`levels must be 1..${MARKET_MAKER_LEVELS_MAX}`);
    if (!Number.isInteger(o.lotsPerLevel) || o.lotsPerLevel < 1) throw new RangeError("lots per level must be a positive integer");
    if (!(o.spacingBps >= 0) || !(o.intervalMs >= 1)) throw new RangeError("spacing must be >= 0 bps and the interval >= 1 ms");
  }

  private log(line: string): void {
    this.o.log(`${new Date().toISOString()} market-maker: ${line}`);
  }

  /** Retries `fn` while the chain is not ready yet; gives up after SETUP_ATTEMPTS_MAX tries. */
  private async retry<T>(what: string, fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (signal.aborted || attempt >= SETUP_ATTEMPTS_MAX) throw err;
        if (attempt === 1 || attempt % 10 === 0) this.log(`${what} failed (attempt ${attempt}, retrying every ${SETUP_RETRY_MS / 1000} s): ${(err as Error).message}`);
        await sleep(SETUP_RETRY_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /** Key file, registration and collateral; then the UDP client. */
  async setup(signal: AbortSignal): Promise<void> {
    const wallet = new LaneWallet(this.o.rpcUrls[0]!, this.o.walletKey);
    let key: TradingKeyFile;
    try {
      key = TradingKeyFile.load(this.o.keyFile);
    } catch {
      key = TradingKeyFile.generate(this.o.keyFile);
      this.log(`new trading key ${key.publicKeyHex} in ${this.o.keyFile}`);
    }
    const rpc = new LaneRpc(this.o.rpcUrls);
    // An error answer (as opposed to no answer) means the node does not know the account yet.
    const account = await this.retry("lane_account", () => rpc.account(wallet.addressHex).catch((err: unknown) => {
      if (err instanceof RpcClientError && err.code === "RPC_CLIENT_ERROR_RESPONSE") return null;
      throw err;
    }), signal);
    const keys = Array.isArray(account?.tradingKeys) ? (account.tradingKeys as unknown[]).map((k) => String(k).toLowerCase().replace(/^0x/, "")) : [];
    if (!keys.includes(toHex(key.publicKey))) {
      const r = await this.retry("register trading key", () => wallet.registerKey(key.publicKey), signal);
      if (r.status === "success") this.log(`registered trading key ${key.publicKeyHex} for ${wallet.addressHex} (tx ${r.hash})`);
      else if (r.revertReason === "LANE_CALL_ERROR_KEY_TAKEN") this.log(`trading key ${key.publicKeyHex} was already registered`);
      else throw new LaneClientError("LANE_CLIENT_ERROR_TX_REVERTED", `registering the trading key reverted: ${r.revertReason} (${r.explanation})`, { ...r });
    }
    key.setAccount(wallet.address);
    const held = typeof account?.collateralQuote === "string" && /^\d+$/.test(account.collateralQuote) ? BigInt(account.collateralQuote) : 0n;
    if (held < this.o.depositQuote / 2n) {
      const amount = this.o.depositQuote - held;
      const r = await this.retry("deposit", () => wallet.deposit(amount), signal);
      if (r.status !== "success") throw new LaneClientError("LANE_CLIENT_ERROR_TX_REVERTED", `the deposit reverted: ${r.revertReason} (${r.explanation})`, { ...r });
      this.log(`deposited ${formatQuote(amount)} (tx ${r.hash})`);
    } else this.log(`collateral ${formatQuote(held)} is enough`);
    this.client = await this.retry("open lane client", () => LaneClient.open({ rpcUrls: this.o.rpcUrls, key, account: wallet.address, ...(this.o.targets ? { targets: this.o.targets } : {}), clientIdBlock: 1024 }), signal);
    this.log(`quoting ${this.o.levels} levels x ${this.o.lotsPerLevel} lots, ${this.o.spacingBps} bps apart, every ${this.o.intervalMs} ms; sending to ${this.client.targets.join(", ")}`);
  }

  private selected(markets: readonly LaneMarket[]): LaneMarket[] {
    const want = this.o.markets?.map((s) => s.toUpperCase());
    return markets.filter((m) => !want || want.includes(m.symbol.toUpperCase()));
  }

  /** One round: fresh marks, one requote per market, then the status of earlier requotes. */
  async round(): Promise<void> {
    const client = this.client!;
    this.stats.rounds++;
    const markets = this.selected(await client.refreshMarkets());
    for (const m of markets) {
      if (m.markTicks < 2) continue;
      const sent = await client.batch(quoteLegs(m, this.o));
      this.stats.actionsSent++;
      this.pending.push({ orderId: sent.orderId, sentAt: Date.now() });
      if (this.pending.length > PENDING_MAX) {
        this.pending.shift();
        this.stats.statusUnknown++;
      }
    }
    await this.followUp(client);
  }

  private countRejection(code: string): void {
    this.stats.rejectionsByCode.set(code, (this.stats.rejectionsByCode.get(code) ?? 0) + 1);
  }

  private async followUp(client: LaneClient): Promise<void> {
    const now = Date.now();
    const statuses = await Promise.all(this.pending.map((p) => client.rpc.orderStatus(p.orderId).catch(() => null)));
    const keep: typeof this.pending = [];
    this.pending.forEach((p, i) => {
      const s = statuses[i];
      if (s?.status === "rejected" || s?.outcome?.rejected) {
        this.stats.actionsRejected++;
        this.countRejection(s.outcome?.rejected?.code ?? "rejected");
      } else if (s?.status === "executed") {
        this.stats.actionsExecuted++;
        for (const leg of s.outcome?.legs ?? []) {
          if (leg.ok) continue;
          this.stats.legsRejected++;
          this.countRejection(leg.code ?? "unknown");
        }
      } else if (now - p.sentAt > PENDING_GIVE_UP_MS) this.stats.statusUnknown++;
      else keep.push(p);
    });
    this.pending.splice(0, this.pending.length, ...keep);
  }

  summary(): string {
    const s = this.stats;
    const codes = [...s.rejectionsByCode].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([c, n]) => `${c} x${n}`).join(", ");
    return `rounds ${s.rounds}, actions sent ${s.actionsSent}, executed ${s.actionsExecuted}, rejected ${s.actionsRejected}, legs rejected ${s.legsRejected}` +
      `, status unknown ${s.statusUnknown}, errors ${s.errors}${codes ? ` (${codes})` : ""}`;
  }

  /** Requotes until `signal` aborts; then cancels every order it has and closes. */
  async run(signal: AbortSignal): Promise<void> {
    if (!this.client) {
      try {
        await this.setup(signal);
      } catch (err) {
        if (!signal.aborted) throw err;
        this.log("stopped before setup finished");
        return;
      }
    }
    const client = this.client!;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        await this.round();
      } catch (err) {
        this.stats.errors++;
        this.log(`round ${this.stats.rounds} failed: ${(err as Error).message}`);
      }
      if (this.stats.rounds % SUMMARY_EVERY_ROUNDS === 1) this.log(this.summary());
      const rest = this.o.intervalMs - (Date.now() - started);
      await sleep(Math.max(0, rest), undefined, { signal }).catch(() => undefined);
    }
    try {
      const sent = await client.cancelAll();
      this.log(`stopping: cancel-all sent (${sent.orderId})`);
    } catch (err) {
      this.log(`stopping: cancel-all failed: ${(err as Error).message}`);
    }
    this.log(`stopped: ${this.summary()}`);
    await client.close();
  }
}
