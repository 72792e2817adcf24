// `xdpchain start --home DIR`: runs one validator (or follower) from its home's config.json until SIGINT or
// SIGTERM, then shuts down gracefully (consensus, network, storage in that order). A second signal while
// stopping exits at once. The validator key's passphrase comes from --passphrase-file, XDPCHAIN_PASSPHRASE or a
// prompt; plain devnet key files need none.

import { loadGenesisFile } from "../../genesis/genesis-loader.ts";
import { loadNodeConfig } from "../config/node-config.ts";
import { loadNodeKey } from "../keys/node-key.ts";
import { loadValidatorKey } from "../keys/validator-key-store.ts";
import { createLogger } from "../log/logger.ts";
import { pinoNodeLog } from "../validator/node-log.ts";
import { ValidatorNode } from "../validator/validator-node.ts";
import { formatHelp, parseArgs, runCommand, type CommandSpec } from "./args.ts";
import { passphraseSource } from "./passphrase.ts";

const SPEC = {
  command: "xdpchain start",
  summary: "run a validator node from its home directory",
  flags: {
    home: { type: "string", description: "the node home (config.json, keys, data)", valueName: "DIR", required: true },
    "passphrase-file": { type: "string", description: "file holding the validator key's passphrase", valueName: "FILE" },
  },
  epilog: "Stops gracefully on Ctrl-C / SIGTERM. Logs are JSON lines (pretty on a terminal; see config.json log.format).",
} as const satisfies CommandSpec;

export async function cmdStart(argv: string[]): Promise<number> {
  return runCommand(SPEC.command, async () => {
    const args = parseArgs(SPEC, argv);
    if (args.help) {
      console.log(args.text || formatHelp(SPEC));
      return 0;
    }
    const config = loadNodeConfig(args.flags.home);
    const genesis = loadGenesisFile(config.genesisFile);
    const pino = createLogger({ level: config.log.level, format: config.log.format, name: "xdpchain" });
    const log = pinoNodeLog(pino);
    const validatorKey = config.validatorKeyFile
      ? await loadValidatorKey(config.validatorKeyFile, passphraseSource({ file: args.flags["passphrase-file"], confirm: false }))
      : null;
    const nodeKey = loadNodeKey(config.nodeKeyFile);
    const node = await ValidatorNode.start({
      config,
      genesis,
      validatorKey: validatorKey ? { publicKey: validatorKey.publicKey, secretKey: validatorKey.secretKey } : null,
      nodeSecretKey: nodeKey.secretKey,
      log,
    });
    return new Promise<number>((resolve) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) {
          log.warn("node: second signal, exiting now", { signal });
          process.exit(130);
        }
        stopping = true;
        log.info("node: stopping", { signal });
        node.stop().then(
          () => resolve(0),
          (err: Error) => {
            log.error("node: stop failed", { error: err.message });
            resolve(1);
          },
        );
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    });
  });
}
