// The `xdpchain` command: parses the subcommand and dispatches. Each subcommand lives in its own file as it
// arrives; unknown or not-yet-built subcommands get a clear message and a non-zero exit code.

const USAGE = `usage: xdpchain <command> [options]

commands:
  devnet     run a local devnet of validator processes
  help       show this help

Run 'npm run sim -- --help' for the consensus simulator.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ..._rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    case "devnet":
      console.error(
        "xdpchain devnet: the validator node is not built yet (it arrives with the validator-node issue).\n" +
          "What works today: the consensus core and its simulation. Try:\n" +
          "  npm run sim -- --seeds 20 --nodes 4 --byzantine 1 --faults drop,partition,crash",
      );
      return 1;
    default:
      console.error(`xdpchain: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
