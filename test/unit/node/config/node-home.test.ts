// initNodeHome used directly (as the devnet command will): a validator key outside the genesis set is flagged,
// and a different key already in keys/ is never replaced, not even with force.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generateDevnetGenesis } from "../../../../genesis/devnet-genesis.ts";
import { writeValidatorKeyFiles } from "../../../../genesis/validator-key-file.ts";
import { initNodeHome } from "../../../../node/config/node-home.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

describe("initNodeHome", () => {
  it("flags a validator key that is not in the genesis validator set", () => {
    const dir = tmp.make();
    const { validatorKeys } = generateDevnetGenesis({ validators: 1, devnetSeed: "some other devnet" });
    const [keyFile] = writeValidatorKeyFiles(path.join(dir, "k"), validatorKeys);
    const r = initNodeHome({ home: path.join(dir, "home"), validatorKeyFile: keyFile! });
    expect(r.validatorInGenesis).toBe(false);
    expect(r.validatorKeyFile).toBe(path.join(dir, "home", "keys", "validator-0.json"));
    expect(r.chainId).toBe(31337n);
  });

  it("never replaces a different validator key already in keys/, even with force", () => {
    const dir = tmp.make();
    const a = writeValidatorKeyFiles(path.join(dir, "a"), generateDevnetGenesis({ validators: 1 }).validatorKeys)[0]!;
    const b = writeValidatorKeyFiles(path.join(dir, "b"), generateDevnetGenesis({ validators: 1, devnetSeed: "other" }).validatorKeys)[0]!;
    const home = path.join(dir, "home");
    expect(initNodeHome({ home, validatorKeyFile: a }).validatorInGenesis).toBe(true);
    expect(() => initNodeHome({ home, validatorKeyFile: b, force: true })).toThrow(expect.objectContaining({ code: "CONFIG_ERROR_HOME_EXISTS" }));
    expect(fs.readFileSync(path.join(home, "keys", "validator-0.json"), "utf8")).toBe(fs.readFileSync(a, "utf8"));
    expect(initNodeHome({ home, validatorKeyFile: a, force: true }).nodeKeyCreated).toBe(false);
  });

  it("refuses a home path that is a file", () => {
    const file = path.join(tmp.make(), "f");
    fs.writeFileSync(file, "");
    expect(() => initNodeHome({ home: file })).toThrow(expect.objectContaining({ code: "CONFIG_ERROR_HOME" }));
  });
});
