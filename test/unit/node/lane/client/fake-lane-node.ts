// Test support: a stand-in for a validator's lane surface on loopback: a JSON-RPC server (node:http, ephemeral
// port) answering the lane_* and the few eth_* methods the client and wallet use, and a UDP socket where order
// datagrams arrive. Received orders are decoded; lane_orderStatus then reports them as `orderStatus` decides
// (by default executed, every leg accepted, IOC/FOK places filled against a maker). Closed after each test.

import * as dgram from "node:dgram";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { toHex } from "../../../../../consensus/crypto/hash.ts";
import { decodeTransaction } from "../../../../../consensus/execution/transaction-codec.ts";
import { nobleRecoverSigner } from "../../../../../consensus/execution/recover-signer.ts";
import type { DecodedTransaction } from "../../../../../consensus/execution/transaction.ts";
import { DEVNET_MARKETS } from "../../../../../consensus/derivatives/market.ts";
import { decodeOrderAction, orderId } from "../../../../../consensus/lane/order-codec.ts";
import { ActionKind, OrderFlag, Side, type OrderAction } from "../../../../../consensus/lane/order.ts";

export const CHAIN_ID = 31337n;
export const MAKER = "0x00000000000000000000000000000000000000aa";

export interface RpcFailure {
  rpcError: { code: number; message: string };
}

export type Handler = (params: unknown[]) => unknown;

export interface ReceivedTx {
  decoded: DecodedTransaction;
  from: string;
}

export const marketsJson = () =>
  DEVNET_MARKETS.map((m) => ({
    id: m.id, symbol: m.symbol, tickSizeQuote: m.tickSizeQuote.toString(), lotSizeBaseE9: m.lotSizeBaseE9.toString(),
    markTicks: m.initialIndexTicks, indexTicks: m.initialIndexTicks, maxPriceTicks: m.maxPriceTicks, maxOrderLots: m.maxOrderLots,
    takerFeeBps: m.takerFeeBps,
  }));

/** Default fate of an order: executed at height 7; taking places fill fully at their limit against MAKER. */
export function executedStatus(action: OrderAction, id: string): Record<string, unknown> {
  const account = `0x${toHex(action.account)}`;
  const events = action.legs
    .filter((l) => l.action === ActionKind.Place && (l.flags & (OrderFlag.Ioc | OrderFlag.Fok)) !== 0)
    .map((l) => ({
      type: "fill", marketId: l.marketId, priceTicks: Number(l.priceTicks), lots: Number(l.sizeLots), taker: account, takerNonce: l.clientOrderId,
      takerSide: l.side === Side.Buy ? "buy" : "sell", maker: MAKER, makerNonce: 5, takerFeeQuote: "300000", makerFeeQuote: "120000",
    }));
  return { orderId: id, account, status: "executed", blockHeight: 7, outcome: { orderId: id, account, nonce: action.nonce.toString(), legs: action.legs.map(() => ({ ok: true })), events } };
}

export class FakeLaneNode {
  readonly handlers = new Map<string, Handler>();
  readonly calls: { method: string; params: unknown[] }[] = [];
  readonly datagrams: Buffer[] = [];
  readonly orders = new Map<string, OrderAction>();
  readonly txs: ReceivedTx[] = [];
  /** What lane_orderStatus says about a received order; null: unknown. */
  orderStatus: (action: OrderAction, id: string) => Record<string, unknown> | null = executedStatus;
  /** Receipt fields for a received transaction (status 0x1 by default). */
  receipt: (tx: ReceivedTx) => Record<string, unknown> = () => ({ status: "0x1" });
  balanceWei = 10_000n * 10n ** 18n;
  private constructor(
    private readonly server: http.Server,
    readonly udp: dgram.Socket,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get udpPort(): number {
    return this.udp.address().port;
  }

  static async start(): Promise<FakeLaneNode> {
    const udp = dgram.createSocket("udp4");
    await new Promise<void>((ok) => udp.bind(0, "127.0.0.1", () => ok()));
    let node: FakeLaneNode | null = null;
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const msg = JSON.parse(body) as { id: number; method: string; params?: unknown[] };
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(node!.answer(msg.id, msg.method, msg.params ?? [])));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", () => ok()));
    node = new FakeLaneNode(server, udp);
    udp.on("message", (m) => node!.receive(m));
    node.defaults();
    return node;
  }

  private receive(m: Buffer): void {
    this.datagrams.push(m);
    const d = decodeOrderAction(new Uint8Array(m));
    if (d.ok) this.orders.set(`0x${toHex(orderId(d.value))}`, d.value);
  }

  private answer(id: number, method: string, params: unknown[]): unknown {
    this.calls.push({ method, params });
    const h = this.handlers.get(method);
    if (!h) return { jsonrpc: "2.0", id, error: { code: -32601, message: `the method ${method} does not exist` } };
    try {
      const result = h(params);
      if (typeof result === "object" && result !== null && "rpcError" in result) return { jsonrpc: "2.0", id, error: (result as RpcFailure).rpcError };
      return { jsonrpc: "2.0", id, result: result === undefined ? null : result };
    } catch (err) {
      return { jsonrpc: "2.0", id, error: { code: -32000, message: (err as Error).message } };
    }
  }

  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  private defaults(): void {
    const hex = (n: bigint) => `0x${n.toString(16)}`;
    this.handlers.set("lane_info", () => ({ host: "127.0.0.1", port: this.udpPort, ingest: "udp", reason: "test", deltaMs: 5, chainId: Number(CHAIN_ID) }));
    this.handlers.set("lane_markets", marketsJson);
    this.handlers.set("lane_account", () => ({ collateralQuote: "0", equityQuote: "0", positions: [], tradingKeys: [] }));
    this.handlers.set("lane_orderStatus", (p) => {
      const key = `0x${String(p[0]).replace(/^0x/, "")}`;
      const action = this.orders.get(key);
      return action ? this.orderStatus(action, key) : null;
    });
    this.handlers.set("lane_sendOrder", (p) => {
      this.receive(Buffer.from(String(p[0]).slice(2), "hex"));
      return { orderId: [...this.orders.keys()].at(-1) };
    });
    this.handlers.set("eth_chainId", () => hex(CHAIN_ID));
    this.handlers.set("eth_gasPrice", () => hex(2_000_000_000n));
    this.handlers.set("eth_maxPriorityFeePerGas", () => hex(1_000_000_000n));
    this.handlers.set("eth_getBalance", () => hex(this.balanceWei));
    this.handlers.set("eth_getTransactionCount", () => hex(BigInt(this.txs.length) + 3n));
    this.handlers.set("eth_sendRawTransaction", (p) => {
      const d = decodeTransaction(new Uint8Array(Buffer.from(String(p[0]).slice(2), "hex")));
      if (!d.ok) return { rpcError: { code: -32602, message: d.detail } };
      const from = nobleRecoverSigner(d.value.signingHash, d.value.tx.r, d.value.tx.s, d.value.tx.yParity);
      this.txs.push({ decoded: d.value, from: `0x${toHex(from!)}` });
      return `0x${toHex(d.value.hash)}`;
    });
    this.handlers.set("eth_getTransactionReceipt", (p) => {
      const tx = this.txs.find((t) => `0x${toHex(t.decoded.hash)}` === p[0]);
      if (!tx) return null;
      return { transactionHash: p[0], blockNumber: "0xc", gasUsed: "0xc350", status: "0x1", ...this.receipt(tx) };
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
    await new Promise<void>((ok) => this.udp.close(() => ok()));
  }
}

/** FakeLaneNode.start, closed after each test. */
export function useFakeLaneNodes(): () => Promise<FakeLaneNode> {
  const open: FakeLaneNode[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((n) => n.close()));
  });
  return async () => {
    const n = await FakeLaneNode.start();
    open.push(n);
    return n;
  };
}

/** Resolves once `cond` holds (checked every 10 ms), failing after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
