// The objects behind the golden execution vectors: transactions (signed with the well-known Hardhat key #0),
// staking calls, state records, state tree hashes and roots, proofs and receipts. Each name maps to the bytes
// its encoder must produce; the state roots pin the key layout, the tree hashing and execution semantics.

import { fromHex } from "../../consensus/crypto/hash.ts";
import { encodeReceipt } from "../../consensus/execution/receipt.ts";
import { StakingOp, encodeStakingCall } from "../../consensus/execution/staking-call.ts";
import { decodeTransaction, transactionSigningHash } from "../../consensus/execution/transaction-codec.ts";
import { signAndEncodeTransaction } from "../../consensus/execution/transaction-signer.ts";
import { TxType, type UnsignedTransaction } from "../../consensus/execution/transaction.ts";
import { createGenesisState } from "../../consensus/execution/genesis-state.ts";
import { encodeAccount } from "../../consensus/state/account.ts";
import { encodeEpochRecord } from "../../consensus/state/epoch-record.ts";
import { encodeKeyList } from "../../consensus/state/key-list.ts";
import { leafHash, pathOf } from "../../consensus/state/sparse-merkle-tree.ts";
import { accountKey } from "../../consensus/state/state-keys.ts";
import { encodeStateProof } from "../../consensus/state/state-proof.ts";
import { encodeValidatorRecord } from "../../consensus/state/validator-record.ts";
import { compareBytes, sha256 } from "../../consensus/crypto/hash.ts";
import { TestChain, accountAddress, bondCall, testGenesis, transferTx } from "../support/execution-fixtures.ts";
import { testKey } from "../support/fixtures.ts";

export const HARDHAT_KEY_0 = fromHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const TO = fromHex("70997970c51812dc3a010c7d01b50e0d17dc79c8");

function tx(type: TxType, extra: Partial<UnsignedTransaction> = {}): UnsignedTransaction {
  return {
    type,
    chainId: 31337n,
    nonce: 3n,
    maxPriorityFeePerGas: type === TxType.DynamicFee ? 1_000_000_000n : 2_000_000_000n,
    maxFeePerGas: 2_000_000_000n,
    gasLimit: 21_000n,
    to: TO,
    value: 1_000_000_000_000_000_000n,
    data: new Uint8Array(0),
    accessList: type === TxType.AccessList ? [{ address: TO, storageKeys: [new Uint8Array(32).fill(1)] }] : [],
    ...extra,
  };
}

function txHash(raw: Uint8Array): Uint8Array {
  const d = decodeTransaction(raw);
  if (!d.ok) throw new Error(d.detail);
  return d.value.hash;
}

export function executionVectorCases(): Record<string, Uint8Array> {
  const legacy = signAndEncodeTransaction(tx(TxType.Legacy), HARDHAT_KEY_0);
  const accessList = signAndEncodeTransaction(tx(TxType.AccessList, { gasLimit: 25_300n }), HARDHAT_KEY_0);
  const dynamicFee = signAndEncodeTransaction(tx(TxType.DynamicFee), HARDHAT_KEY_0);
  const validator = {
    publicKey: testKey(1).publicKey,
    operator: accountAddress(101),
    bondedStake: 10_000n * 10n ** 18n,
    unbonding: [
      { amount: 5n * 10n ** 17n, releaseHeight: 120 },
      { amount: 7n, releaseHeight: 130 },
    ],
    jailed: true,
    jailedUntilHeight: 140,
    slashed: true,
  };
  const genesis = createGenesisState(testGenesis());
  const chain = new TestChain();
  chain.advance([transferTx(1, accountAddress(2), 5n), transferTx(2, accountAddress(50), 6n)]);
  const account = { balance: 123_456_789n, nonce: 42n };
  return {
    txLegacy: legacy,
    txLegacyHash: txHash(legacy),
    txLegacySigningHash: transactionSigningHash(tx(TxType.Legacy)),
    txAccessList: accessList,
    txAccessListHash: txHash(accessList),
    txDynamicFee: dynamicFee,
    txDynamicFeeHash: txHash(dynamicFee),
    txDynamicFeeSigningHash: transactionSigningHash(tx(TxType.DynamicFee)),
    stakingBond: encodeStakingCall(bondCall(5, 5)),
    stakingUnbond: encodeStakingCall({ op: StakingOp.Unbond, publicKey: testKey(5).publicKey, amount: 10n ** 21n }),
    stakingUnjail: encodeStakingCall({ op: StakingOp.Unjail, publicKey: testKey(5).publicKey }),
    account: encodeAccount(account),
    accountLeafHash: leafHash(pathOf(accountKey(accountAddress(1))), sha256(encodeAccount(account))),
    validatorRecord: encodeValidatorRecord(validator),
    epochRecord: encodeEpochRecord({
      epoch: 3,
      startHeight: 13,
      current: { seed: new Uint8Array(32).fill(0x5e), validators: [{ publicKey: testKey(1).publicKey, operator: accountAddress(101), stake: 10n ** 21n }] },
      previous: null,
    }),
    keyList: encodeKeyList([testKey(1).publicKey, testKey(2).publicKey].sort(compareBytes)),
    genesisStateRoot: genesis.stateRoot,
    genesisAccountProof: encodeStateProof(genesis.prove(accountKey(accountAddress(1)))),
    genesisAbsentAccountProof: encodeStateProof(genesis.prove(accountKey(accountAddress(77)))),
    blockOneStateRoot: chain.state.stateRoot,
    receipt: encodeReceipt(chain.executions[0]!.receipts[0]!),
    receiptReverted: encodeReceipt({
      transactionHash: new Uint8Array(32).fill(0xee),
      from: accountAddress(1),
      to: fromHex("0000000000000000000000000000000000000100"),
      status: 0,
      gasUsed: 50_000n,
      cumulativeGasUsed: 71_000n,
      effectiveGasPrice: 1_500_000_000n,
      revertCode: "STAKING_ERROR_NOT_OPERATOR",
    }),
  };
}
