// eth_feeHistory (execution-apis): base fees, gas-used ratios and tip percentiles over recent finalized blocks.
// Percentiles weight each transaction's tip by the gas it used, as go-ethereum does. The base fee list has one
// more entry than blocks: the next block's base fee. At most FEE_HISTORY_BLOCKS_MAX blocks per call.

import type { Json } from "./rpc-format.ts";
import { blockGasUsed } from "./rpc-format.ts";
import { formatQuantity, parseSmallQuantity } from "./hex.ts";
import type { RpcBackend, RpcBlock } from "./rpc-backend.ts";
import { RpcError, invalidParams } from "./rpc-error.ts";
import { type BlockSelector, blockParam, expectArity } from "./rpc-params.ts";

export const FEE_HISTORY_BLOCKS_MAX = 1024;
export const FEE_HISTORY_PERCENTILES_MAX = 100;

function parseBlockCount(v: unknown): number {
  // go-ethereum accepts a hex quantity or a plain JSON integer here.
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  const q = parseSmallQuantity(v);
  if (!q.ok) throw invalidParams(`invalid argument 0 (blockCount): ${q.reason}`);
  return q.value;
}

function parsePercentiles(v: unknown): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  const where = "invalid argument 2 (rewardPercentiles)";
  if (!Array.isArray(v)) throw invalidParams(`${where}: must be an array of numbers`);
  if (v.length > FEE_HISTORY_PERCENTILES_MAX) throw invalidParams(`${where}: at most ${FEE_HISTORY_PERCENTILES_MAX} percentiles`);
  let previous = 0;
  for (const p of v) {
    if (typeof p !== "number" || !Number.isFinite(p) || p < 0 || p > 100) throw invalidParams(`${where}: ${String(p)} is not in [0, 100]`);
    if (p < previous) throw invalidParams(`${where}: must be monotonically increasing`);
    previous = p;
  }
  return v as number[];
}

function resolveNewest(sel: BlockSelector, head: number): number {
  if (sel.kind === "head" || sel.kind === "pending") return head;
  if (sel.kind === "earliest") return 0;
  if (sel.kind === "number") {
    if (sel.height > head) throw new RpcError("RPC_ERROR_SERVER", `request beyond head block: requested ${sel.height}, head ${head}`);
    return sel.height;
  }
  throw invalidParams("invalid argument 1 (newestBlock): must be a block tag or number");
}

/** Tips per percentile, weighted by gas used; zeros for an empty block. */
export function blockRewards(b: RpcBlock, percentiles: readonly number[]): bigint[] {
  const txs = b.receipts
    .map((r) => ({ tip: r.effectiveGasPrice > b.baseFeePerGas ? r.effectiveGasPrice - b.baseFeePerGas : 0n, gas: r.gasUsed }))
    .sort((x, y) => (x.tip < y.tip ? -1 : x.tip > y.tip ? 1 : 0));
  if (txs.length === 0) return percentiles.map(() => 0n);
  const total = txs.reduce((s, t) => s + t.gas, 0n);
  let i = 0;
  let cumulative = txs[0]!.gas;
  return percentiles.map((p) => {
    // Threshold in gas, with the percentile scaled to an integer (hundredths of a percent).
    const threshold = (total * BigInt(Math.round(p * 100))) / 10_000n;
    while (cumulative < threshold && i < txs.length - 1) cumulative += txs[++i]!.gas;
    return txs[i]!.tip;
  });
}

export async function feeHistory(params: unknown[], backend: RpcBackend): Promise<Json> {
  expectArity(params, 2, 3);
  const requested = Math.min(parseBlockCount(params[0]), FEE_HISTORY_BLOCKS_MAX);
  const head = backend.headHeight();
  const newest = resolveNewest(blockParam(params, 1, "newestBlock"), head);
  const percentiles = parsePercentiles(params[2]);
  const blocks: RpcBlock[] = [];
  for (let h = newest; h >= 0 && blocks.length < requested; h--) {
    const b = await backend.blockByHeight(h);
    if (!b) break;
    blocks.push(b);
  }
  blocks.reverse();
  if (blocks.length === 0) {
    const empty: Record<string, Json> = { oldestBlock: "0x0", baseFeePerGas: [], gasUsedRatio: [] };
    if (percentiles) empty.reward = [];
    return empty;
  }
  const gasLimit = backend.blockGasLimit();
  const next = newest === head ? undefined : await backend.blockByHeight(newest + 1);
  const nextBaseFee = next ? next.baseFeePerGas : backend.baseFeePerGas();
  const out: Record<string, Json> = {
    oldestBlock: formatQuantity(blocks[0]!.block.header.height),
    baseFeePerGas: [...blocks.map((b) => formatQuantity(b.baseFeePerGas)), formatQuantity(nextBaseFee)],
    gasUsedRatio: blocks.map((b) => (gasLimit > 0n ? Number(blockGasUsed(b)) / Number(gasLimit) : 0)),
  };
  if (percentiles) out.reward = blocks.map((b) => blockRewards(b, percentiles).map(formatQuantity));
  return out;
}
