// `xdpchain lane` in-process: argument errors exit 2 with a clear line before anything touches the network or a
// key; keygen writes a 0600 key file once; against a fake node, register records the account, deposit sends the
// amount in wei, place sends the intended order and prints its fills, and unknown markets or off-tick prices exit 1.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toHex } from "../../../../consensus/crypto/hash.ts";
import { WEI_PER_QUOTE } from "../../../../consensus/lane/lane-call.ts";
import { decodeOrderAction } from "../../../../consensus/lane/order-codec.ts";
import { ActionKind, OrderFlag, Side } from "../../../../consensus/lane/order.ts";
import { devAccounts } from "../../../../genesis/devnet-accounts.ts";
import { TradingKeyFile } from "../../../../node/lane/client/trading-key-file.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";
import { until, useFakeLaneNodes } from "../lane/client/fake-lane-node.ts";
import { runCli } from "./cli-harness.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());
const fakeNode = useFakeLaneNodes();
const DEV2 = `0x${toHex(devAccounts(1, 2)[0]!.address)}`;

function keyPath(): string {
  return path.join(tmp.make(), "lane-key.json");
}

describe("xdpchain lane: argument errors", () => {
  const cases: [string, string[], RegExp][] = [
    ["no subcommand", ["lane"], /usage: xdpchain lane <keygen\|register/],
    ["unknown subcommand", ["lane", "trade"], /unknown subcommand 'trade'/],
    ["a side that is not buy or sell", ["lane", "place", "BTC-PERP", "hold", "1"], /SIDE must be buy or sell, got 'hold'/],
    ["a missing size", ["lane", "place", "BTC-PERP", "buy"], /missing SIZE/],
    ["two times in force", ["lane", "place", "BTC-PERP", "buy", "0.01", "--ioc", "--fok"], /choose one time in force, got ioc and fok/],
    ["a resting order without a price", ["lane", "place", "BTC-PERP", "buy", "0.01", "--post-only"], /a post-only order needs a PRICE/],
    ["a size that is not a number", ["lane", "place", "BTC-PERP", "buy", "lots", "60000"], /SIZE must be a plain decimal number, got 'lots'/],
    ["a fractional raw lot", ["lane", "place", "BTC-PERP", "buy", "1.5", "60000", "--lots"], /SIZE must be a whole number, got '1.5'/],
    ["stop and take-profit together", ["lane", "place", "BTC-PERP", "sell", "1", "59000", "--stop", "1", "--take-profit", "2"], /at most one of --stop and --take-profit/],
    ["an unknown flag", ["lane", "place", "BTC-PERP", "buy", "1", "--iocc"], /unknown flag --iocc \(did you mean --ioc\?\)/],
    ["no wallet key", ["lane", "register"], /exactly one of --wallet-key-file FILE and --dev-account N/],
    ["two wallet keys", ["lane", "deposit", "--dev-account", "2", "--wallet-key-file", "k", "1"], /exactly one of --wallet-key-file/],
    ["a dev account out of range", ["lane", "register", "--dev-account", "1000"], /--dev-account must be at most 999/],
    ["too many decimals", ["lane", "deposit", "--dev-account", "2", "1.0000001"], /AMOUNT '1.0000001' has more than 6 decimals/],
    ["a zero deposit", ["lane", "deposit", "--dev-account", "2", "0"], /AMOUNT must be positive/],
    ["a cancel without an id", ["lane", "cancel", "BTC-PERP"], /give MARKET and CLIENT_ORDER_ID, or --all/],
    ["a cancel with a bad id", ["lane", "cancel", "BTC-PERP", "0"], /CLIENT_ORDER_ID must be an integer in 1..4294967295/],
    ["a short order id", ["lane", "status", "0x1234"], /ORDER_ID must be 64 hex digits/],
    ["a bad RPC URL", ["lane", "markets", "--rpc", "ftp://x"], /--rpc ftp:\/\/x is not an http\(s\) URL/],
    ["a bad target", ["lane", "cancel", "--all", "--target", "nowhere"], /--target: 'nowhere' is not a target of the form host:port/],
    ["a bad account", ["lane", "positions", "--account", "0x12"], /--account/],
  ];
  for (const [what, argv, message] of cases) {
    it(`exits 2 on ${what}`, async () => {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it("exits 2 for views without an account when no key file names one", async () => {
    const r = await runCli(["lane", "orders", "--key", keyPath()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no account: give --account ADDRESS or --dev-account N/);
  });

  it("exits 1 with the reason when the key file is missing", async () => {
    const node = await fakeNode();
    const r = await runCli(["lane", "place", "BTC-PERP", "buy", "0.01", "--rpc", node.url, "--key", keyPath()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LANE_CLIENT_ERROR_KEY_FILE.*create one with 'xdpchain lane keygen'/);
  });
});

describe("xdpchain lane against a fake node", () => {
  it("keygen writes a 0600 key once; --force replaces it", async () => {
    const file = keyPath();
    const r = await runCli(["lane", "keygen", "--key", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/public key  0x[0-9a-f]{64}/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const secret = JSON.parse(fs.readFileSync(file, "utf8")).secretKey as string;
    expect(r.stdout).not.toContain(secret.slice(2));
    const again = await runCli(["lane", "keygen", "--key", file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/KEYS_ERROR_EXISTS/);
    expect((await runCli(["lane", "keygen", "--key", file, "--force", "--json"])).code).toBe(0);
  });

  it("register, deposit, place --ioc (fills printed), then the views", async () => {
    const node = await fakeNode();
    const file = keyPath();
    await runCli(["lane", "keygen", "--key", file]);
    const reg = await runCli(["lane", "register", "--rpc", node.url, "--key", file, "--dev-account", "2"]);
    expect(reg.stderr).toBe("");
    expect(reg.code).toBe(0);
    expect(reg.stdout).toMatch(/status       success/);
    expect(`0x${toHex(TradingKeyFile.load(file).account!)}`).toBe(DEV2);

    const dep = await runCli(["lane", "deposit", "--rpc", node.url, "--dev-account", "2", "1000", "--json"]);
    expect(dep.code).toBe(0);
    expect(JSON.parse(dep.stdout)).toMatchObject({ status: "success", collateral: "0" });
    expect(node.txs[1]!.decoded.tx.value).toBe(1_000_000_000n * WEI_PER_QUOTE);

    const place = await runCli(["lane", "place", "BTC-PERP", "buy", "0.01", "--rpc", node.url, "--key", file]);
    expect(place.stderr).toBe("");
    expect(place.code).toBe(0);
    expect(place.stdout).toMatch(/buy 0.01 BTC-PERP at 60600 \(ioc, 100 bps from mark 60000\)/);
    expect(place.stdout).toMatch(/order 0x[0-9a-f]{64} \(client order id 1, nonce \d+\) sent to 127.0.0.1:\d+/);
    expect(place.stdout).toMatch(/executed in block 7/);
    expect(place.stdout).toMatch(/BTC-PERP\s+buy\s+60600\s+0.01\s+taker\s+0.3\s+0x0+aa/);
    await until(() => node.datagrams.length === 1);
    const action = decodeOrderAction(new Uint8Array(node.datagrams[0]!));
    if (!action.ok) throw new Error(action.detail);
    expect(`0x${toHex(action.value.account)}`).toBe(DEV2);
    expect(action.value.legs[0]).toMatchObject({ marketId: 1, action: ActionKind.Place, side: Side.Buy, flags: OrderFlag.Ioc, priceTicks: 606_000n, sizeLots: 10n });

    const json = await runCli(["lane", "place", "ETH-PERP", "sell", "3", "290000", "--ticks", "--lots", "--gtc", "--no-wait", "--json", "--rpc", node.url, "--key", file]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ clientOrderIds: [2], orderId: expect.stringMatching(/^0x[0-9a-f]{64}$/) });

    const status = await runCli(["lane", "status", JSON.parse(json.stdout).orderId, "--rpc", node.url]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/executed in block 7\nno fills/);

    const markets = await runCli(["lane", "markets", "--rpc", node.url]);
    expect(markets.stdout).toMatch(/^1\s+BTC-PERP\s+0.1\s+0.001\s+60000\s+60000/m);
    node.handlers.set("lane_book", () => ({ marketId: 1, height: 9, bids: [{ priceTicks: 599_990, lots: 5, orders: 1 }], asks: [{ priceTicks: 600_010, lots: 7, orders: 2 }] }));
    const book = await runCli(["lane", "book", "BTC-PERP", "--rpc", node.url]);
    expect(book.stdout).toMatch(/ask\s+60001\s+0.007\s+2\nbid\s+59999\s+0.005\s+1/);
    node.handlers.set("lane_openOrders", () => ({ account: DEV2, height: 9, orders: [{ marketId: 1, clientOrderId: 4, side: "sell", priceTicks: 600_010, lots: 7 }] }));
    const orders = await runCli(["lane", "orders", "--rpc", node.url, "--key", file]);
    expect(node.callsOf("lane_openOrders")).toEqual([[DEV2]]);
    expect(orders.stdout).toMatch(/market\s+clientOrderId\s+side\s+price\s+size\nBTC-PERP\s+4\s+sell\s+60001\s+0.007/);
  });

  it("exits 1 naming the markets for an unknown symbol, and for a price that is not a whole tick", async () => {
    const node = await fakeNode();
    const file = keyPath();
    TradingKeyFile.generate(file).setAccount(new Uint8Array(20).fill(1));
    const unknown = await runCli(["lane", "place", "DOGE-PERP", "buy", "1", "--rpc", node.url, "--key", file]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown market 'DOGE-PERP'; markets: BTC-PERP \(1\), ETH-PERP \(2\)/);
    const offTick = await runCli(["lane", "place", "BTC-PERP", "buy", "0.01", "60000.05", "--rpc", node.url, "--key", file]);
    expect(offTick.code).toBe(1);
    expect(offTick.stderr).toMatch(/price 60000.05 is not a whole tick of BTC-PERP \(tick size 0.1\)/);
    expect(node.datagrams).toEqual([]);
  });

  it("exits 1 and prints the code when a register reverts", async () => {
    const node = await fakeNode();
    node.receipt = () => ({ status: "0x0", revertReason: "LANE_CALL_ERROR_TOO_MANY_KEYS" });
    const file = keyPath();
    TradingKeyFile.generate(file);
    const r = await runCli(["lane", "register", "--rpc", node.url, "--key", file, "--dev-account", "2"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reverted: LANE_CALL_ERROR_TOO_MANY_KEYS\n\s+the account holds the maximum number of trading keys/);
    expect(TradingKeyFile.load(file).account).toBeNull();
  });
});
