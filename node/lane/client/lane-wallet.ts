// The wallet side of the lane: builds the lane system-call transactions (lane-call.ts: register or revoke a
// trading key, deposit, withdraw) as EIP-1559 transactions to LANE_ADDRESS, signs them with the account's
// secp256k1 key using the project's own signer (execution/transaction-signer.ts), sends them with
// eth_sendRawTransaction and waits for the receipt. A revert is reported as data (status and lane call code with
// an explanation); a node refusing the transaction, or a wait running out, is a LaneClientError.

import { setTimeout as sleep } from "node:timers/promises";
import { toHex } from "../../../consensus/crypto/hash.ts";
import { STAKING_CALL_GAS } from "../../../consensus/execution/fees.ts";
import { addressFromSecretKey, signAndEncodeTransaction } from "../../../consensus/execution/transaction-signer.ts";
import { TxType, type UnsignedTransaction } from "../../../consensus/execution/transaction.ts";
import { encodeLaneCall, LANE_ADDRESS, LaneOp, WEI_PER_QUOTE, type LaneCall } from "../../../consensus/lane/lane-call.ts";
import type { Address, PublicKey } from "../../../consensus/types.ts";
import { RpcClientError, rpcCall } from "../../devnet/rpc-client.ts";
import { LaneClientError } from "./lane-client-error.ts";
import { parseChainId } from "./lane-rpc.ts";

/** A lane call costs the fixed system-call gas (fees.ts intrinsicGas gives lane calls the staking-call amount). */
export const LANE_CALL_GAS_LIMIT = STAKING_CALL_GAS;
export const RECEIPT_TIMEOUT_MS_DEFAULT = 60_000;
const RECEIPT_POLL_MS = 250;

/** What each lane call revert code (lane-execution.ts LaneCallErrorCode) means for the person who sent it. */
export const LANE_REVERT_EXPLANATIONS: Readonly<Record<string, string>> = {
  LANE_CALL_ERROR_VALUE_NOT_ALLOWED: "only a deposit may carry value",
  LANE_CALL_ERROR_BAD_AMOUNT: `a deposit is a positive whole number of quote units (${WEI_PER_QUOTE} wei each)`,
  LANE_CALL_ERROR_KEY_TAKEN: "this trading key is already registered (by this account or another one)",
  LANE_CALL_ERROR_KEY_REVOKED: "a revoked trading key can never be registered again: make a new one with 'xdpchain lane keygen --force'",
  LANE_CALL_ERROR_TOO_MANY_KEYS: "the account holds the maximum number of trading keys: revoke one first",
  LANE_CALL_ERROR_NOT_YOUR_KEY: "this account did not register that trading key",
  LANE_CALL_ERROR_REFUSED: "the derivatives engine refused it (for a withdrawal: more than the free collateral)",
  LANE_CALL_ERROR_NO_LANE: "this chain runs no order lane",
};

export interface LaneTxFees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface LaneTxResult {
  /** 0x transaction hash. */
  hash: string;
  status: "success" | "reverted";
  blockNumber: number;
  gasUsed: bigint;
  /** The lane call code of a revert (receipt revertReason) and what it means. */
  revertReason?: string;
  explanation?: string;
}

/** The unsigned transaction for one lane call; `value` is non-zero only for deposits. */
export function buildLaneTransaction(call: LaneCall, o: { chainId: bigint; nonce: bigint; fees: LaneTxFees; valueWei?: bigint }): UnsignedTransaction {
  const valueWei = o.valueWei ?? 0n;
  if (call.op !== LaneOp.Deposit && valueWei !== 0n) throw new RangeError("only a deposit carries value");
  return {
    type: TxType.DynamicFee,
    chainId: o.chainId,
    nonce: o.nonce,
    maxPriorityFeePerGas: o.fees.maxPriorityFeePerGas,
    maxFeePerGas: o.fees.maxFeePerGas,
    gasLimit: LANE_CALL_GAS_LIMIT,
    to: LANE_ADDRESS,
    value: valueWei,
    data: encodeLaneCall(call),
    accessList: [],
  };
}

function quantity(v: unknown, what: string): bigint {
  if (typeof v === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(v)) return BigInt(v);
  throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", `${what} must be a hex quantity, got ${JSON.stringify(v)}`);
}

export class LaneWallet {
  readonly address: Address;
  private chainIdCache: bigint | undefined;

  constructor(
    readonly rpcUrl: string,
    private readonly privateKey: Uint8Array,
    o: { chainId?: bigint } = {},
  ) {
    this.address = addressFromSecretKey(privateKey);
    this.chainIdCache = o.chainId;
  }

  get addressHex(): string {
    return `0x${toHex(this.address)}`;
  }

  registerKey(tradingKey: PublicKey, o?: { timeoutMs?: number }): Promise<LaneTxResult> {
    return this.send({ op: LaneOp.RegisterKey, tradingKey }, 0n, o);
  }

  revokeKey(tradingKey: PublicKey, o?: { timeoutMs?: number }): Promise<LaneTxResult> {
    return this.send({ op: LaneOp.RevokeKey, tradingKey }, 0n, o);
  }

  /** Moves `amountQuote` quote units of native balance into the lane escrow as collateral. */
  deposit(amountQuote: bigint, o?: { timeoutMs?: number }): Promise<LaneTxResult> {
    if (amountQuote <= 0n) throw new LaneClientError("LANE_CLIENT_ERROR_BAD_ORDER", "a deposit must be positive");
    return this.send({ op: LaneOp.Deposit }, amountQuote * WEI_PER_QUOTE, o);
  }

  withdraw(amountQuote: bigint, o?: { timeoutMs?: number }): Promise<LaneTxResult> {
    if (amountQuote <= 0n) throw new LaneClientError("LANE_CLIENT_ERROR_BAD_ORDER", "a withdrawal must be positive");
    return this.send({ op: LaneOp.Withdraw, amountQuote }, 0n, o);
  }

  private call<T>(method: string, params: unknown[] = []): Promise<T> {
    return rpcCall<T>(this.rpcUrl, method, params, 5_000);
  }

  async chainId(): Promise<bigint> {
    this.chainIdCache ??= parseChainId(await this.call("eth_chainId"), "eth_chainId");
    return this.chainIdCache;
  }

  /** Fee cap twice the current base fee plus the suggested tip (the base fee is constant on this chain today). */
  async fees(): Promise<LaneTxFees> {
    const [gasPrice, tip] = await Promise.all([this.call("eth_gasPrice"), this.call("eth_maxPriorityFeePerGas")]);
    const maxPriorityFeePerGas = quantity(tip, "eth_maxPriorityFeePerGas");
    const total = quantity(gasPrice, "eth_gasPrice");
    const base = total > maxPriorityFeePerGas ? total - maxPriorityFeePerGas : total;
    return { maxPriorityFeePerGas, maxFeePerGas: 2n * base + maxPriorityFeePerGas };
  }

  /** Signed raw bytes for `call` with the account's pending nonce and current fees; checks the balance covers it. */
  async prepare(call: LaneCall, valueWei: bigint): Promise<Uint8Array> {
    const [chainId, nonce, fees, balance] = await Promise.all([
      this.chainId(),
      this.call("eth_getTransactionCount", [this.addressHex, "pending"]).then((v) => quantity(v, "eth_getTransactionCount")),
      this.fees(),
      this.call("eth_getBalance", [this.addressHex, "latest"]).then((v) => quantity(v, "eth_getBalance")),
    ]);
    const tx = buildLaneTransaction(call, { chainId, nonce, fees, valueWei });
    const needed = valueWei + tx.gasLimit * tx.maxFeePerGas;
    if (balance < needed) {
      throw new LaneClientError("LANE_CLIENT_ERROR_TX_REFUSED", `${this.addressHex} holds ${balance} wei, the transaction may cost ${needed} wei (value plus gas)`, { balance, needed });
    }
    return signAndEncodeTransaction(tx, this.privateKey);
  }

  /** eth_sendRawTransaction; a refusal (nonce, fees, malformed call) becomes LANE_CLIENT_ERROR_TX_REFUSED. */
  async submit(raw: Uint8Array): Promise<string> {
    try {
      const hash = await this.call<string>("eth_sendRawTransaction", [`0x${toHex(raw)}`]);
      if (typeof hash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new LaneClientError("LANE_CLIENT_ERROR_RESPONSE", `eth_sendRawTransaction returned ${JSON.stringify(hash)}`);
      return hash;
    } catch (err) {
      if (err instanceof RpcClientError && err.code === "RPC_CLIENT_ERROR_RESPONSE") {
        throw new LaneClientError("LANE_CLIENT_ERROR_TX_REFUSED", `the node refused the transaction: ${err.message.replace(/^[A-Z_]+: (eth_sendRawTransaction: )?/, "")}`, { rpcCode: err.data.rpcCode });
      }
      throw err;
    }
  }

  async waitForReceipt(hash: string, o: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LaneTxResult> {
    const timeoutMs = o.timeoutMs ?? RECEIPT_TIMEOUT_MS_DEFAULT;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (o.signal?.aborted) throw new LaneClientError("LANE_CLIENT_ERROR_ABORTED", `stopped waiting for ${hash}`, { hash });
      const receipt = await this.call<Record<string, unknown> | null>("eth_getTransactionReceipt", [hash]).catch((err: unknown) => {
        if (err instanceof RpcClientError && err.code === "RPC_CLIENT_ERROR_UNREACHABLE") return null;
        throw err;
      });
      if (receipt) return this.result(hash, receipt);
      if (Date.now() >= deadline) throw new LaneClientError("LANE_CLIENT_ERROR_TIMEOUT", `no receipt for ${hash} after ${timeoutMs} ms`, { hash });
      await sleep(RECEIPT_POLL_MS, undefined, o.signal ? { signal: o.signal } : undefined).catch(() => undefined);
    }
  }

  private result(hash: string, r: Record<string, unknown>): LaneTxResult {
    const status = quantity(r.status, "receipt status") === 1n ? "success" : "reverted";
    const out: LaneTxResult = { hash, status, blockNumber: Number(quantity(r.blockNumber, "receipt blockNumber")), gasUsed: quantity(r.gasUsed, "receipt gasUsed") };
    if (status === "reverted") {
      out.revertReason = typeof r.revertReason === "string" ? r.revertReason : "unknown";
      out.explanation = LANE_REVERT_EXPLANATIONS[out.revertReason] ?? "the node gave no reason";
    }
    return out;
  }

  /** Prepare, submit, wait: the whole life of one lane call. */
  async send(call: LaneCall, valueWei: bigint, o: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LaneTxResult> {
    const hash = await this.submit(await this.prepare(call, valueWei));
    return this.waitForReceipt(hash, o);
  }
}
