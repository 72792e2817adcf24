// Signed transfers decoded, sender-recovered and applied per second on one core (the main thread), with the
// native libsecp256k1 binding versus @noble/curves alone, measured in the same run. Stages: "ecdsa-recover-only"
// (the recoverer alone: the ceiling), "recover" (decode +
// stateless rules + recovery), "apply" (execution of pre-recovered transactions incl. state root), "full"
// (a validator re-executing proposed blocks: all of it), "full-known-senders" (the same when the mempool already
// recovered the senders at gossip time). Prints JSON lines, medians of RUNS runs, and ratios.
// Usage: npm run bench:tx [-- --runs 5 --txs 4000 --noble-txs 300]

import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { nobleVerify } from "../consensus/crypto/ed25519.ts";
import { blockHash } from "../consensus/codec/block-codec.ts";
import { ZERO_HASH, toHex } from "../consensus/crypto/hash.ts";
import { proposeBlock } from "../consensus/execution/block-builder.ts";
import { executeBlock, verifyBlock } from "../consensus/execution/execute-block.ts";
import type { ExecutionContext } from "../consensus/execution/execution-context.ts";
import { validatorSetAt } from "../consensus/execution/epoch.ts";
import { createGenesisState } from "../consensus/execution/genesis-state.ts";
import { prepareTransaction, type PreparedTransaction } from "../consensus/execution/prepare-transaction.ts";
import { nobleRecoverSigner, type RecoverSigner } from "../consensus/execution/recover-signer.ts";
import { decodeTransaction, encodeTransaction, transactionSigningHash } from "../consensus/execution/transaction-codec.ts";
import { TxType, type UnsignedTransaction } from "../consensus/execution/transaction.ts";
import { addressFromPublicKey } from "../consensus/execution/recover-signer.ts";
import type { WorldState } from "../consensus/state/world-state.ts";
import type { Block } from "../consensus/types.ts";
import { createNativeRecoverSigner } from "../node/crypto/secp256k1-native.ts";
import { ETHER, GWEI, TEST_PARAMS, notarize, testGenesis } from "../test/support/execution-fixtures.ts";

const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "5" }, txs: { type: "string", default: "4000" }, "noble-txs": { type: "string", default: "300" } },
});
const RUNS = Number(args.runs);
const SENDERS = 2000;

interface NativeSign {
  ecdsaSign(msg32: Uint8Array, sk: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(sk: Uint8Array, compressed: boolean): Uint8Array;
}
const native = createRequire(import.meta.url)("secp256k1/bindings.js") as NativeSign;

const params = { ...TEST_PARAMS, blockGasLimit: 21_000n * 20_000n, maxTransactionsPerBlock: 20_000 };
const senders = Array.from({ length: SENDERS }, (_, i) => {
  const sk = new Uint8Array(32);
  new DataView(sk.buffer).setUint32(28, i + 1);
  sk[0] = 0x42;
  return { sk, address: addressFromPublicKey(native.publicKeyCreate(sk, false)) };
});
const genesis = testGenesis({ params, accounts: senders.map((s) => ({ address: s.address, balance: 1_000n * ETHER })) });

/** Transfers signed natively (setup speed only): round r uses nonce r for every sender. */
function signTransfers(count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const from = senders[i % SENDERS]!;
    const tx: UnsignedTransaction = {
      type: i % 4 === 0 ? TxType.Legacy : TxType.DynamicFee, chainId: params.chainId, nonce: BigInt(Math.floor(i / SENDERS)),
      maxPriorityFeePerGas: 2n * GWEI, maxFeePerGas: 2n * GWEI, gasLimit: 21_000n, to: senders[(i * 7 + 1) % SENDERS]!.address,
      value: BigInt(1 + i), data: new Uint8Array(0), accessList: [],
    };
    const sig = native.ecdsaSign(transactionSigningHash(tx), from.sk);
    out.push(encodeTransaction({ ...tx, yParity: sig.recid as 0 | 1, r: sig.signature.slice(0, 32), s: sig.signature.slice(32) }));
  }
  return out;
}

/** Proposes blocks of at most SENDERS transactions each (one nonce round per block), with real notarizations. */
function proposeChain(txs: Uint8Array[], ctx: ExecutionContext): Block[] {
  let state: WorldState = createGenesisState(genesis);
  const blocks: Block[] = [];
  let parent: { block: Block; set: ReturnType<typeof validatorSetAt> } | null = null;
  for (let i = 0; i < txs.length; i += SENDERS) {
    const set = validatorSetAt(state);
    const height = blocks.length + 1;
    const r = proposeBlock(state, {
      header: { chainId: params.chainId, height, view: height, parentHash: parent ? blockHash(parent.block.header) : ZERO_HASH, timestampMs: 1_700_000_000_000 + height, proposer: set.get(set.leaderOf(height))!.publicKey, laneRoot: ZERO_HASH },
      parentNotarization: parent ? notarize(parent.set, parent.block.header.view, blockHash(parent.block.header)) : null,
      candidateTransactions: txs.slice(i, i + SENDERS),
    }, ctx);
    if (!r.ok || r.body.skipped.length > 0) throw new Error(`bench setup: proposal failed ${r.ok ? r.body.skipped[0]?.detail : r.detail}`);
    blocks.push(r.block);
    parent = { block: r.block, set };
    state = r.execution.state;
  }
  return blocks;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, recover: string, count: number, fn: () => void): number {
  const rates: number[] = [];
  fn(); // warm-up
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(count / seconds);
  }
  const txPerSec = Math.round(median(rates));
  console.log(JSON.stringify({ bench: "tx-verify", stage: label, recover, txs: count, runs: RUNS, txPerSec, minTxPerSec: Math.round(Math.min(...rates)), maxTxPerSec: Math.round(Math.max(...rates)) }));
  return txPerSec;
}

function stages(recoverName: string, recover: RecoverSigner, count: number): Record<string, number> {
  const ctx: ExecutionContext = { params, recoverSigner: recover, ed25519Verify: nobleVerify };
  const setupCtx: ExecutionContext = { ...ctx, recoverSigner: createNativeRecoverSigner() };
  const txs = signTransfers(count);
  const blocks = proposeChain(txs, setupCtx);
  const genesisState = createGenesisState(genesis);
  const sigs = txs.map((raw) => {
    const d = decodeTransaction(raw);
    if (!d.ok) throw new Error(d.detail);
    return d.value;
  });
  // The ceiling: the recovery function alone on pre-decoded signatures.
  const ceiling = measure("ecdsa-recover-only", recoverName, count, () => {
    for (const d of sigs) if (recover(d.signingHash, d.tx.r, d.tx.s, d.tx.yParity) === null) throw new Error("bench: no recovery");
  });
  const recoverRate = measure("recover", recoverName, count, () => {
    for (const raw of txs) if (!prepareTransaction(raw, params, recover).ok) throw new Error("bench: transaction refused");
  });
  const prepared: PreparedTransaction[][] = blocks.map((b) => b.transactions.map((raw) => {
    const p = prepareTransaction(raw, params, setupCtx.recoverSigner);
    if (!p.ok) throw new Error(p.detail);
    return p.value;
  }));
  const applyRate = measure("apply", recoverName, count, () => {
    let state = genesisState;
    blocks.forEach((b, i) => {
      const r = executeBlock(state, b, ctx, { prepared: prepared[i] });
      if (!r.ok) throw new Error(r.detail);
      state = r.value.state;
    });
  });
  const fullRate = measure("full", recoverName, count, () => {
    let state = genesisState;
    for (const b of blocks) {
      const r = verifyBlock(state, b, ctx);
      if (!r.ok) throw new Error(`${r.code} ${r.detail}`);
      state = r.value.state;
    }
  });
  // A validator whose mempool recovered the senders at gossip time: decode + rules + apply + roots.
  const senders = new Map<string, Uint8Array>();
  for (const block of prepared) for (const p of block) senders.set(toHex(p.hash), p.from);
  measure("full-known-senders", recoverName, count, () => {
    let state = genesisState;
    for (const b of blocks) {
      const r = verifyBlock(state, b, ctx, { knownSender: (hash) => senders.get(toHex(hash)) });
      if (!r.ok) throw new Error(`${r.code} ${r.detail}`);
      state = r.value.state;
    }
  });
  return { "ecdsa-recover-only": ceiling, recover: recoverRate, apply: applyRate, full: fullRate };
}

const nativeRates = stages("native-libsecp256k1", createNativeRecoverSigner(), Number(args.txs));
const nobleRates = stages("noble", nobleRecoverSigner, Number(args["noble-txs"]));
for (const stage of ["ecdsa-recover-only", "recover", "full"]) {
  console.log(JSON.stringify({ bench: "tx-verify", ratio: "native/noble", stage, value: Number((nativeRates[stage]! / nobleRates[stage]!).toFixed(1)) }));
}
const fullOverCeiling = Number((nativeRates.full! / nativeRates["ecdsa-recover-only"]!).toFixed(2));
console.log(JSON.stringify({ bench: "tx-verify", ratio: "full/ecdsa-recover-only", recover: "native-libsecp256k1", value: fullOverCeiling }));
console.log(JSON.stringify({ bench: "tx-verify", summary: true, nativeFullTxPerSec: nativeRates.full, nobleFullTxPerSec: nobleRates.full, aimTxPerSec: 15_000 }));
