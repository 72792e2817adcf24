// The devnet generator and the genesis hash: development mnemonic accounts pinned (as Hardhat and Anvil),
// deterministic output equal to the shipped file, a hash independent of JSON order, case and whitespace,
// and key files that load back and match genesis.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bytesEqual, toHex } from "../../../consensus/crypto/hash.ts";
import { devAccounts } from "../../../genesis/devnet-accounts.ts";
import { devnetValidatorKey, generateDevnetGenesis } from "../../../genesis/devnet-genesis.ts";
import { toChecksumAddress } from "../../../genesis/eth-address.ts";
import { encodeGenesis, genesisHash } from "../../../genesis/genesis-hash.ts";
import { genesisToJson } from "../../../genesis/genesis-json.ts";
import { genesisFromJson, loadGenesisFile } from "../../../genesis/genesis-loader.ts";
import type { GenesisJson } from "../../../genesis/genesis.ts";
import { loadValidatorKeyFile, validatorKeyFileName, writeValidatorKeyFiles } from "../../../genesis/validator-key-file.ts";

const golden = JSON.parse(fs.readFileSync(new URL("../../vectors/genesis.json", import.meta.url), "utf8")) as Record<string, string>;
const genesisDir = new URL("../../../genesis/", import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("development accounts", () => {
  it("derive the Hardhat/Anvil accounts from the test mnemonic", () => {
    const [a0, a1, a9] = [...devAccounts(2), ...devAccounts(1, 9)];
    expect(toChecksumAddress(a0!.address)).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(toHex(a0!.privateKey)).toBe("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    expect(toChecksumAddress(a1!.address)).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(toChecksumAddress(a9!.address)).toBe("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");
  });
});

describe("devnet genesis", () => {
  it("is deterministic and equals the shipped genesis/devnet.json (run `npm run genesis:devnet` after changing it)", () => {
    const { json } = generateDevnetGenesis({ validators: 4 });
    expect(JSON.stringify(json, null, 2) + "\n").toBe(fs.readFileSync(path.join(genesisDir, "devnet.json"), "utf8"));
    const first = Object.keys(json.accounts)[0];
    expect(first).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(Object.keys(json.accounts)).toHaveLength(14);
  });

  it("has the pinned canonical encoding and hash", () => {
    const g = loadGenesisFile(path.join(genesisDir, "devnet.json"));
    expect(toHex(encodeGenesis(g))).toBe(golden.devnet4Encoding);
    expect(toHex(genesisHash(g))).toBe(golden.devnet4Hash);
    expect(toHex(devnetValidatorKey("xdpchain-devnet", 0).publicKey)).toBe(golden.devnetValidatorKey0);
    // Without a lane section the encoding (and hash) is the one chains had before the lane existed.
    expect(toHex(genesisHash(generateDevnetGenesis({ validators: 4, lane: null }).genesis))).toBe(golden.devnet4NoLaneHash);
  });

  it("hashes the same regardless of JSON key order, whitespace, address case and list order", () => {
    const { json, genesis } = generateDevnetGenesis({ validators: 4 });
    const shuffled: GenesisJson = {
      validators: [...json.validators].reverse().map((v) => ({ stake: v.stake, operator: v.operator.toLowerCase(), publicKey: v.publicKey.toUpperCase().replace("0X", "0x") })),
      accounts: Object.fromEntries(Object.entries(json.accounts).reverse().map(([a, b]) => [a.toLowerCase(), b])),
      params: Object.fromEntries(Object.entries(json.params).reverse()) as GenesisJson["params"],
      genesisTime: "2025-01-01T00:00:00Z",
      chainId: json.chainId,
      lane: { markets: [...json.lane!.markets].reverse(), insuranceFundQuote: json.lane!.insuranceFundQuote },
    };
    const reparsed = genesisFromJson(JSON.parse(JSON.stringify(shuffled, null, 7)));
    expect(genesisHash(reparsed)).toEqual(genesisHash(genesis));
    expect(genesisHash(genesisFromJson(genesisToJson(genesis)))).toEqual(genesisHash(genesis));
    const richer = { ...json, accounts: { ...json.accounts, [Object.keys(json.accounts)[0]!]: "10000000000000000000001" } };
    expect(genesisHash(genesisFromJson(richer))).not.toEqual(genesisHash(genesis));
  });

  it("funds validator operators from the mnemonic after the funded accounts, and scales to N validators", () => {
    const { genesis, validatorKeys } = generateDevnetGenesis({ validators: 7, fundedAccounts: 3 });
    expect(genesis.validators).toHaveLength(7);
    expect(genesis.accounts).toHaveLength(10);
    const ops = devAccounts(7, 3);
    validatorKeys.forEach((k, i) => expect(bytesEqual(k.operator, ops[i]!.address)).toBe(true));
    expect(() => generateDevnetGenesis({ validators: 0 })).toThrow(RangeError);
  });

  it("writes key files that load back, match genesis, and refuse tampering", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xdpchain-keys-"));
    dirs.push(dir);
    const { genesis, validatorKeys } = generateDevnetGenesis({ validators: 4 });
    const files = writeValidatorKeyFiles(dir, validatorKeys);
    expect(fs.statSync(files[0]!).mode & 0o777).toBe(0o600);
    for (const f of files) {
      const k = loadValidatorKeyFile(f);
      expect(genesis.validators.some((v) => bytesEqual(v.publicKey, k.publicKey) && bytesEqual(v.operator, k.operator))).toBe(true);
    }
    const shipped = loadValidatorKeyFile(path.join(genesisDir, "devnet-keys", validatorKeyFileName(0)));
    expect(shipped.publicKey).toEqual(validatorKeys[0]!.publicKey);
    const tampered = JSON.parse(fs.readFileSync(files[1]!, "utf8")) as Record<string, string>;
    tampered.secretKey = "0x" + "11".repeat(32);
    fs.writeFileSync(files[1]!, JSON.stringify(tampered));
    expect(() => loadValidatorKeyFile(files[1]!)).toThrow(expect.objectContaining({ code: "GENESIS_ERROR_KEY_FILE" }));
  });
});
