// The eth_, net_ and web3_ methods wallets use (Ethereum execution-apis), over an RpcBackend. State is kept only at
// the finalized head: `latest`, `safe`, `finalized` and `pending` read it, other heights get a clear -32000.
// There are no contracts: eth_call is refused, eth_getCode is "0x", storage is all zero.
// Not here: the envelope (json-rpc.ts), JSON shapes (rpc-format.ts), fee history (fee-history.ts).

import { keccak256 } from "../../consensus/crypto/hash.ts";
import { TxType } from "../../consensus/execution/transaction.ts";
import { LIMITS, type Address } from "../../consensus/types.ts";
import { estimateGas, parseCallRequest } from "./call-request.ts";
import { feeHistory } from "./fee-history.ts";
import { formatData, formatQuantity, parseData, parseQuantity } from "./hex.ts";
import type { MethodContext, MethodHandler, MethodTable } from "./method-context.ts";
import type { RpcBackend, RpcBlock } from "./rpc-backend.ts";
import { RpcError, invalidParams } from "./rpc-error.ts";
import { type Json, decodeKnownTransaction, formatBlock, formatReceipt, formatTransaction } from "./rpc-format.ts";
import {
  type BlockSelector,
  addressParam,
  blockParam,
  boolParam,
  dataParam,
  expectArity,
  hashParam,
  quantityParam,
} from "./rpc-params.ts";

const LATEST: BlockSelector = { kind: "head" };
const ZERO_WORD = formatData(new Uint8Array(32));

/** The finalized block a selector names (pending is the head: blocks exist only once finalized). */
async function selectBlock(backend: RpcBackend, sel: BlockSelector): Promise<RpcBlock | undefined> {
  switch (sel.kind) {
    case "head":
    case "pending":
      return backend.blockByHeight(backend.headHeight());
    case "earliest":
      return backend.blockByHeight(0);
    case "number":
      return sel.height > backend.headHeight() ? undefined : backend.blockByHeight(sel.height);
    case "hash":
      return backend.blockByHash(sel.hash);
  }
}

/** Throws unless the selector names the finalized head, the only height whose state this node keeps. */
async function assertHeadState(backend: RpcBackend, sel: BlockSelector): Promise<void> {
  if (sel.kind === "head" || sel.kind === "pending") return;
  const head = backend.headHeight();
  let height: number;
  if (sel.kind === "hash") {
    const b = await backend.blockByHash(sel.hash);
    if (!b) throw new RpcError("RPC_ERROR_SERVER", `header for hash ${formatData(sel.hash)} not found`);
    height = b.block.header.height;
  } else {
    height = sel.kind === "earliest" ? 0 : sel.height;
  }
  if (height === head) return;
  if (height > head) throw new RpcError("RPC_ERROR_SERVER", `header not found: block ${height} is above the finalized head ${head}`);
  throw new RpcError(
    "RPC_ERROR_SERVER",
    `state at block ${height} is not available: this node keeps state only at the finalized head (block ${head}); use "latest", "safe", "finalized" or ${formatQuantity(head)}`,
  );
}

async function stateParams(params: unknown[], ctx: MethodContext): Promise<{ address: Address; sel: BlockSelector }> {
  expectArity(params, 1, 2);
  const address = addressParam(params, 0, "address");
  const sel = blockParam(params, 1, "block", { fallback: LATEST, allowObject: true });
  await assertHeadState(ctx.backend, sel);
  return { address, sel };
}

function txType(raw: Uint8Array): number {
  const first = raw[0] ?? 0xc0;
  return first >= 0xc0 ? TxType.Legacy : first;
}

function transactionAt(b: RpcBlock | undefined, index: number): Json {
  if (!b || index >= b.block.transactions.length) return null;
  const receipt = b.receipts[index]!;
  const place = { blockHash: b.hash, blockNumber: b.block.header.height, index };
  return formatTransaction(decodeKnownTransaction(b.block.transactions[index]!), receipt.from, place, receipt);
}

const getTransactionByHash: MethodHandler = async (params, { backend }) => {
  expectArity(params, 1, 1);
  const hash = hashParam(params, 0, "hash");
  const loc = await backend.findTransaction(hash);
  if (loc) return transactionAt(await backend.blockByHeight(loc.height), loc.index);
  const pending = backend.pendingTransaction(hash);
  return pending ? formatTransaction(decodeKnownTransaction(pending.raw), pending.from) : null;
};

const getTransactionReceipt: MethodHandler = async (params, { backend }) => {
  expectArity(params, 1, 1);
  const hash = hashParam(params, 0, "hash");
  const loc = await backend.findTransaction(hash);
  if (!loc) return null;
  const b = await backend.blockByHeight(loc.height);
  const receipt = b?.receipts[loc.index];
  if (!b || !receipt) return null;
  const place = { blockHash: b.hash, blockNumber: b.block.header.height, index: loc.index };
  return formatReceipt(receipt, txType(b.block.transactions[loc.index]!), place);
};

const sendRawTransaction: MethodHandler = async (params, { backend }) => {
  expectArity(params, 1, 1);
  const raw = dataParam(params, 0, "data", LIMITS.maxTransactionBytes);
  if (raw.length === 0) throw invalidParams("invalid argument 0 (data): empty transaction");
  const result = await backend.submitTransaction(raw);
  if (!result.ok) throw new RpcError("RPC_ERROR_SERVER", result.message, { code: result.code });
  return formatData(result.hash);
};

function blockMethod(byHash: boolean): MethodHandler {
  return async (params, { backend }) => {
    expectArity(params, 1, 2);
    const sel: BlockSelector = byHash ? { kind: "hash", hash: hashParam(params, 0, "blockHash") } : blockParam(params, 0, "blockNumber");
    const full = boolParam(params, 1, "fullTransactions", false);
    const b = await selectBlock(backend, sel);
    return b ? formatBlock(b, full, backend.blockGasLimit()) : null;
  };
}

function countMethod(byHash: boolean): MethodHandler {
  return async (params, { backend }) => {
    expectArity(params, 1, 1);
    const sel: BlockSelector = byHash ? { kind: "hash", hash: hashParam(params, 0, "blockHash") } : blockParam(params, 0, "blockNumber");
    const b = await selectBlock(backend, sel);
    return b ? formatQuantity(b.block.transactions.length) : null;
  };
}

function txByIndexMethod(byHash: boolean): MethodHandler {
  return async (params, { backend }) => {
    expectArity(params, 2, 2);
    const sel: BlockSelector = byHash ? { kind: "hash", hash: hashParam(params, 0, "blockHash") } : blockParam(params, 0, "blockNumber");
    const index = quantityParam(params, 1, "index");
    const b = await selectBlock(backend, sel);
    return index > BigInt(LIMITS.maxTransactionsPerBlock) ? null : transactionAt(b, Number(index));
  };
}

const noContracts = "eth_call is not supported: xdpchain has no contracts (it executes value transfers, staking calls and order-lane calls only)";

const subscribe: MethodHandler = (params, ctx) => {
  if (!ctx.subscriptions) throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", "notifications not supported: eth_subscribe needs a WebSocket connection");
  expectArity(params, 1, 2);
  const kind = params[0];
  if (typeof kind !== "string") throw invalidParams("invalid argument 0 (subscription type): must be a string");
  if (params[1] !== undefined && params[1] !== null) throw invalidParams(`invalid argument 1: ${kind} takes no options`);
  return ctx.subscriptions.subscribe(kind);
};

const unsubscribe: MethodHandler = (params, ctx) => {
  if (!ctx.subscriptions) throw new RpcError("RPC_ERROR_METHOD_NOT_FOUND", "notifications not supported: eth_unsubscribe needs a WebSocket connection");
  expectArity(params, 1, 1);
  if (typeof params[0] !== "string" || params[0].length > 66) throw invalidParams("invalid argument 0 (subscription id): must be a hex string");
  return ctx.subscriptions.unsubscribe(params[0]);
};

function noParams(fn: (ctx: MethodContext) => unknown): MethodHandler {
  return (params, ctx) => {
    expectArity(params, 0, 0);
    return fn(ctx);
  };
}

function syncingJson(backend: RpcBackend): Json {
  const s = backend.syncing();
  if (s === false) return false;
  return {
    startingBlock: formatQuantity(s.startingBlock),
    currentBlock: formatQuantity(s.currentBlock),
    highestBlock: formatQuantity(s.highestBlock),
  };
}

export const ETH_METHODS: MethodTable = new Map<string, MethodHandler>([
  ["web3_clientVersion", noParams(({ backend }) => backend.clientVersion)],
  ["web3_sha3", (params) => (expectArity(params, 1, 1), formatData(keccak256(dataParam(params, 0, "data", LIMITS.maxTransactionBytes))))],
  ["net_version", noParams(({ backend }) => backend.chainId.toString(10))],
  ["net_listening", noParams(() => true)],
  ["net_peerCount", noParams(({ backend }) => formatQuantity(backend.peerCount()))],
  ["eth_chainId", noParams(({ backend }) => formatQuantity(backend.chainId))],
  ["eth_blockNumber", noParams(({ backend }) => formatQuantity(backend.headHeight()))],
  ["eth_syncing", noParams(({ backend }) => syncingJson(backend))],
  ["eth_accounts", noParams(() => [])],
  ["eth_gasPrice", noParams(({ backend }) => formatQuantity(backend.baseFeePerGas() + backend.suggestedTipPerGas()))],
  ["eth_maxPriorityFeePerGas", noParams(({ backend }) => formatQuantity(backend.suggestedTipPerGas()))],
  ["eth_feeHistory", (params, { backend }) => feeHistory(params, backend)],
  [
    "eth_getBalance",
    async (params, ctx) => formatQuantity(ctx.backend.account((await stateParams(params, ctx)).address).balance),
  ],
  [
    "eth_getTransactionCount",
    async (params, ctx) => {
      const { address, sel } = await stateParams(params, ctx);
      return formatQuantity(sel.kind === "pending" ? ctx.backend.pendingNonce(address) : ctx.backend.account(address).nonce);
    },
  ],
  ["eth_getCode", async (params, ctx) => (await stateParams(params, ctx), "0x")],
  [
    "eth_getStorageAt",
    async (params, ctx) => {
      expectArity(params, 2, 3);
      addressParam(params, 0, "address");
      // A slot is a quantity or a 32-byte word (clients send both forms).
      if (!parseQuantity(params[1]).ok && !parseData(params[1], { maxBytes: 32 }).ok) {
        throw invalidParams("invalid argument 1 (slot): must be a hex quantity or at most 32 bytes of hex");
      }
      await assertHeadState(ctx.backend, blockParam(params, 2, "block", { fallback: LATEST, allowObject: true }));
      return ZERO_WORD;
    },
  ],
  [
    "eth_estimateGas",
    async (params, { backend }) => {
      expectArity(params, 1, 2);
      const req = parseCallRequest(params, 0);
      await assertHeadState(backend, blockParam(params, 1, "block", { fallback: LATEST, allowObject: true }));
      return formatQuantity(estimateGas(req, backend));
    },
  ],
  [
    "eth_call",
    async (params, { backend }) => {
      expectArity(params, 1, 3);
      parseCallRequest(params, 0);
      await assertHeadState(backend, blockParam(params, 1, "block", { fallback: LATEST, allowObject: true }));
      throw new RpcError("RPC_ERROR_SERVER", noContracts);
    },
  ],
  ["eth_sendRawTransaction", sendRawTransaction],
  ["eth_getTransactionByHash", getTransactionByHash],
  ["eth_getTransactionReceipt", getTransactionReceipt],
  ["eth_getBlockByNumber", blockMethod(false)],
  ["eth_getBlockByHash", blockMethod(true)],
  ["eth_getBlockTransactionCountByNumber", countMethod(false)],
  ["eth_getBlockTransactionCountByHash", countMethod(true)],
  ["eth_getTransactionByBlockNumberAndIndex", txByIndexMethod(false)],
  ["eth_getTransactionByBlockHashAndIndex", txByIndexMethod(true)],
  ["eth_subscribe", subscribe],
  ["eth_unsubscribe", unsubscribe],
]);
