// `xdpchain genesis create|validate`: writes a devnet genesis (genesis/devnet-genesis.ts) with its INSECURE
// per-validator key files, and checks a genesis file, printing its hash, chain id, validators and total stake
// or every offending field. Not a tool for production genesis ceremonies: devnet keys derive from a public seed.

import * as fs from "node:fs";
import * as path from "node:path";
import { toHex } from "../../consensus/crypto/hash.ts";
import { DEVNET_VALIDATORS_MAX, generateDevnetGenesis } from "../../genesis/devnet-genesis.ts";
import { toChecksumAddress } from "../../genesis/eth-address.ts";
import { GenesisError } from "../../genesis/genesis-error.ts";
import { genesisHash } from "../../genesis/genesis-hash.ts";
import { loadGenesisFile } from "../../genesis/genesis-loader.ts";
import type { Genesis } from "../../genesis/genesis.ts";
import { writeValidatorKeyFiles } from "../../genesis/validator-key-file.ts";
import { parseArgs, runCommand, runSubcommandGroup, UsageError, type CommandSpec } from "./args.ts";

const CREATE = {
  command: "xdpchain genesis create",
  summary: "write a devnet genesis and, with --keys-dir, its INSECURE validator key files",
  flags: {
    validators: { type: "number", integer: true, min: 1, max: DEVNET_VALIDATORS_MAX, description: "number of validators", valueName: "N", required: true },
    out: { type: "string", description: "genesis file to write", valueName: "FILE", required: true },
    "chain-id": { type: "number", integer: true, min: 1, max: Number.MAX_SAFE_INTEGER, description: "chain id (default 31337)", valueName: "ID" },
    "genesis-time": { type: "string", description: "ISO 8601 UTC genesis time (default 2025-01-01T00:00:00.000Z)", valueName: "TIME" },
    "keys-dir": { type: "string", description: "directory for the validator key files (validator-<i>.json)", valueName: "DIR" },
    force: { type: "boolean", description: "overwrite an existing --out file" },
  },
  epilog: "The validator keys derive from a public seed: anyone can recompute them. Devnets only.",
} as const satisfies CommandSpec;

const VALIDATE = {
  command: "xdpchain genesis validate",
  summary: "check a genesis file and print its hash, chain id, validators and total stake",
  flags: {},
  positionals: [{ name: "FILE", description: "the genesis file to check", required: true }],
} as const satisfies CommandSpec;

async function genesisCreate(argv: string[]): Promise<number> {
  return runCommand(CREATE.command, () => {
    const args = parseArgs(CREATE, argv);
    if (args.help) return printHelp(args.text);
    const f = args.flags;
    if (!f.force && fs.existsSync(f.out)) throw new UsageError(CREATE.command, `${f.out} exists; pass --force to overwrite it`);
    const { genesis, json, validatorKeys } = generateDevnetGenesis({
      validators: f.validators,
      ...(f["chain-id"] !== undefined ? { chainId: BigInt(f["chain-id"]) } : {}),
      ...(f["genesis-time"] !== undefined ? { genesisTime: f["genesis-time"] } : {}),
    });
    fs.mkdirSync(path.dirname(path.resolve(f.out)), { recursive: true });
    fs.writeFileSync(f.out, JSON.stringify(json, null, 2) + "\n");
    console.log(`wrote ${f.out}: chain id ${genesis.chainId}, ${genesis.validators.length} validators, genesis hash 0x${toHex(genesisHash(genesis))}`);
    if (f["keys-dir"] !== undefined) {
      const files = writeValidatorKeyFiles(f["keys-dir"], validatorKeys);
      console.log(`wrote ${files.length} INSECURE devnet validator key files in ${f["keys-dir"]}: devnets only`);
    } else {
      console.log("no --keys-dir: validator key files not written");
    }
    return 0;
  });
}

function formatPercent(part: bigint, total: bigint): string {
  const bps = total === 0n ? 0n : (part * 10_000n) / total;
  return `${bps / 100n}.${(bps % 100n).toString().padStart(2, "0")}%`;
}

function describe(file: string, g: Genesis): string[] {
  const total = g.validators.reduce((sum, v) => sum + v.stake, 0n);
  return [
    `${file}: valid genesis`,
    `  genesis hash  0x${toHex(genesisHash(g))}`,
    `  chain id      ${g.chainId}`,
    `  genesis time  ${new Date(g.genesisTimeMs).toISOString()}`,
    `  accounts      ${g.accounts.length}`,
    `  validators    ${g.validators.length}`,
    `  total stake   ${total} wei`,
    ...g.validators.map(
      (v) => `    0x${toHex(v.publicKey)}  operator ${toChecksumAddress(v.operator)}  stake ${v.stake} wei (${formatPercent(v.stake, total)})`,
    ),
  ];
}

async function genesisValidate(argv: string[]): Promise<number> {
  return runCommand(VALIDATE.command, () => {
    const args = parseArgs(VALIDATE, argv);
    if (args.help) return printHelp(args.text);
    const file = args.positionals[0]!;
    let genesis: Genesis;
    try {
      genesis = loadGenesisFile(file);
    } catch (err) {
      const problems = err instanceof GenesisError ? err.data.problems : undefined;
      if (!problems) throw err;
      console.error(`${VALIDATE.command}: ${file}: invalid genesis (${problems.length} problem${problems.length === 1 ? "" : "s"})`);
      for (const p of problems) console.error(`  ${p.path}: ${p.message}`);
      return 1;
    }
    console.log(describe(file, genesis).join("\n"));
    return 0;
  });
}

function printHelp(text: string): number {
  console.log(text);
  return 0;
}

export async function cmdGenesis(argv: string[]): Promise<number> {
  return runSubcommandGroup(
    {
      command: "xdpchain genesis",
      summary: "create devnet genesis files and check genesis files",
      subcommands: {
        create: { summary: CREATE.summary, run: genesisCreate },
        validate: { summary: VALIDATE.summary, run: genesisValidate },
      },
    },
    argv,
  );
}
