// `npm run genesis:devnet [-- --validators N --out genesis/devnet.json --keys genesis/devnet-keys]`: writes the
// devnet genesis and its INSECURE per-validator key files. Deterministic: rerunning gives identical files.

import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { toHex } from "../consensus/crypto/hash.ts";
import { generateDevnetGenesis } from "./devnet-genesis.ts";
import { genesisHash } from "./genesis-hash.ts";
import { writeValidatorKeyFiles } from "./validator-key-file.ts";

const here = path.dirname(new URL(import.meta.url).pathname);
const { values } = parseArgs({
  options: {
    validators: { type: "string", default: "4" },
    out: { type: "string", default: path.join(here, "devnet.json") },
    keys: { type: "string", default: path.join(here, "devnet-keys") },
  },
});

const { genesis, json, validatorKeys } = generateDevnetGenesis({ validators: Number(values.validators) });
fs.writeFileSync(values.out, JSON.stringify(json, null, 2) + "\n");
const files = writeValidatorKeyFiles(values.keys, validatorKeys);
console.log(`wrote ${values.out} (genesis hash 0x${toHex(genesisHash(genesis))}) and ${files.length} key files in ${values.keys}`);
