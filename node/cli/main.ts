// The `xdpchain` command: parses the subcommand and dispatches. Each subcommand lives in its own file as it
// arrives; unknown subcommands get a clear message and exit code 2. Commands are imported when run, so
// `xdpchain keys` does not load libp2p and the node.


const USAGE = `usage: xdpchain <command> [options]

commands:
  init       create a node home (config.json, genesis, node key, keys/, data/)
  keys       generate, import and list account and validator keys
  genesis    create a devnet genesis, validate a genesis file
  start      run a validator node from its home
  status     show a running node's status
  devnet     run a local devnet of validator processes
  devnet-init  write a devnet (genesis, keys, homes) for validators on given addresses (docker compose)
  lane       trade on the order lane: trading keys, collateral, orders, book, positions, fills
  help       show this help

Run 'xdpchain <command> --help' for a command's options.

Run 'npm run sim -- --help' for the consensus simulator.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    case "init":
      return (await import("./cmd-init.ts")).cmdInit(rest);
    case "keys":
      return (await import("./cmd-keys.ts")).cmdKeys(rest);
    case "genesis":
      return (await import("./cmd-genesis.ts")).cmdGenesis(rest);
    case "start":
      return (await import("./cmd-start.ts")).cmdStart(rest);
    case "status":
      return (await import("./cmd-status.ts")).cmdStatus(rest);
    case "devnet":
      return (await import("./cmd-devnet.ts")).cmdDevnet(rest);
    case "devnet-init":
      return (await import("./cmd-devnet-init.ts")).cmdDevnetInit(rest);
    case "lane":
      return (await import("./cmd-lane.ts")).cmdLane(rest);
    default:
      console.error(`xdpchain: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
