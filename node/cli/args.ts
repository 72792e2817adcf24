// A small strict argument parser for the `xdpchain` subcommands: declared flags (string, number, boolean,
// repeatable) with defaults and checks, positional arguments, and generated --help text. Unknown flags, missing
// values and repeated single flags are usage errors (exit code 2). Also maps errors to exit codes for commands.
// Not a general-purpose CLI framework: no short flags except -h, no flag bundling, no `--no-x` negation.

import { XdpchainError } from "../../consensus/errors.ts";

export type FlagType = "string" | "number" | "boolean" | "repeatable";

export interface FlagSpec {
  type: FlagType;
  description: string;
  /** Placeholder shown in help, e.g. DIR in `--home DIR`. */
  valueName?: string;
  default?: string | number | boolean;
  required?: boolean;
  /** Number flags: accept integers only. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** String and repeatable flags: the accepted values. */
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
}

export interface CommandSpec {
  /** The command as typed, e.g. "xdpchain keys generate". */
  command: string;
  summary: string;
  flags: Readonly<Record<string, FlagSpec>>;
  positionals?: readonly PositionalSpec[];
  /** Text after the options in --help (examples, notes). */
  epilog?: string;
}

type FlagValue<F extends FlagSpec> = F["type"] extends "number"
  ? number
  : F["type"] extends "boolean"
    ? boolean
    : F["type"] extends "repeatable"
      ? string[]
      : string;

type AlwaysSet<F> = F extends { required: true }
  ? true
  : F extends { default: string | number | boolean }
    ? true
    : F extends { type: "boolean" | "repeatable" }
      ? true
      : false;

export type FlagValues<Fs extends Readonly<Record<string, FlagSpec>>> = {
  -readonly [K in keyof Fs]: AlwaysSet<Fs[K]> extends true ? FlagValue<Fs[K]> : FlagValue<Fs[K]> | undefined;
};

export type ParsedArgs<S extends CommandSpec> =
  | { help: true; text: string }
  | { help: false; flags: FlagValues<S["flags"]>; positionals: string[] };

export class UsageError extends XdpchainError<"CLI_ERROR_USAGE", { command: string }> {
  readonly detail: string;

  constructor(command: string, detail: string) {
    super("CLI_ERROR_USAGE", `${command}: ${detail}`, { command });
    this.detail = detail;
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function unknownFlag(spec: CommandSpec, name: string): UsageError {
  const near = Object.keys(spec.flags).find((f) => editDistance(f, name) <= Math.max(1, Math.floor(name.length / 3)) || (name.length >= 3 && f.startsWith(name)));
  return new UsageError(spec.command, `unknown flag --${name}${near ? ` (did you mean --${near}?)` : ""}`);
}

function convert(spec: CommandSpec, name: string, flag: FlagSpec, raw: string): string | number {
  const fail = (why: string) => new UsageError(spec.command, `--${name} ${why}, got '${raw}'`);
  if (flag.type === "number") {
    if (!/^-?\d+(\.\d+)?$/.test(raw)) throw fail("must be a number");
    const n = Number(raw);
    if (flag.integer && !Number.isSafeInteger(n)) throw fail("must be an integer");
    if (flag.min !== undefined && n < flag.min) throw fail(`must be at least ${flag.min}`);
    if (flag.max !== undefined && n > flag.max) throw fail(`must be at most ${flag.max}`);
    return n;
  }
  if (raw.length === 0) throw fail("must not be empty");
  if (flag.choices && !flag.choices.includes(raw)) throw fail(`must be one of ${flag.choices.join(", ")}`);
  return raw;
}

/** Parses `argv` (the words after the command) against `spec`; throws UsageError on anything undeclared. */
export function parseArgs<S extends CommandSpec>(spec: S, argv: readonly string[]): ParsedArgs<S> {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const end = argv.indexOf("--");
  const flagWords = end === -1 ? argv : argv.slice(0, end);
  // Help wins over every other problem on the line: someone asking for help is fixing a command.
  if (flagWords.includes("--help") || flagWords.includes("-h")) return { help: true, text: formatHelp(spec) };
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-" || /^-\d/.test(word)) {
      positionals.push(word);
      continue;
    }
    if (!word.startsWith("--")) throw new UsageError(spec.command, `unknown flag ${word}`);
    const eq = word.indexOf("=");
    const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    const flag = spec.flags[name];
    if (!flag) throw unknownFlag(spec, name);
    if (flag.type !== "repeatable" && name in values) throw new UsageError(spec.command, `--${name} given more than once`);
    if (flag.type === "boolean") {
      if (inline !== undefined && inline !== "true" && inline !== "false") {
        throw new UsageError(spec.command, `--${name} takes no value (or =true / =false), got '${inline}'`);
      }
      values[name] = inline !== "false";
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new UsageError(spec.command, `--${name} needs a value (${flag.valueName ?? "VALUE"})`);
      }
      raw = next;
      i++;
    }
    const value = convert(spec, name, flag, raw);
    values[name] = flag.type === "repeatable" ? [...((values[name] as string[] | undefined) ?? []), value] : value;
  }
  return { help: false, flags: finish(spec, values, positionals) as FlagValues<S["flags"]>, positionals };
}

function finish(spec: CommandSpec, values: Record<string, unknown>, positionals: string[]): Record<string, unknown> {
  const declared = spec.positionals ?? [];
  if (positionals.length > declared.length) throw new UsageError(spec.command, `unexpected argument '${positionals[declared.length]}'`);
  const missing = declared.slice(positionals.length).find((p) => p.required);
  if (missing) throw new UsageError(spec.command, `missing ${missing.name}`);
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (name in values) continue;
    if (flag.required) throw new UsageError(spec.command, `--${name} is required`);
    if (flag.default !== undefined) values[name] = flag.default;
    else if (flag.type === "boolean") values[name] = false;
    else if (flag.type === "repeatable") values[name] = [];
  }
  return values;
}

function flagLabel(name: string, flag: FlagSpec): string {
  return flag.type === "boolean" ? `--${name}` : `--${name} ${flag.valueName ?? "VALUE"}`;
}

export function formatHelp(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? []).map((p) => (p.required ? p.name : `[${p.name}]`));
  const required = Object.entries(spec.flags)
    .filter(([, f]) => f.required)
    .map(([n, f]) => flagLabel(n, f));
  const lines = [`usage: ${[spec.command, ...required, ...positionals, "[options]"].join(" ")}`, "", spec.summary, ""];
  const rows: [string, string][] = (spec.positionals ?? []).map((p) => [p.name, p.description]);
  for (const [name, flag] of Object.entries(spec.flags)) {
    const notes = [
      flag.required ? "required" : null,
      flag.default !== undefined ? `default: ${String(flag.default)}` : null,
      flag.choices ? `one of: ${flag.choices.join(", ")}` : null,
      flag.type === "repeatable" ? "repeatable" : null,
    ].filter((n) => n !== null);
    rows.push([flagLabel(name, flag), notes.length > 0 ? `${flag.description} (${notes.join("; ")})` : flag.description]);
  }
  rows.push(["-h, --help", "show this help"]);
  const width = Math.min(32, Math.max(...rows.map(([l]) => l.length)) + 2);
  lines.push("options:", ...rows.map(([l, d]) => `  ${l.padEnd(width)}${l.length >= width ? `\n  ${"".padEnd(width)}` : ""}${d}`));
  if (spec.epilog) lines.push("", spec.epilog);
  return lines.join("\n");
}

/**
 * Runs a command body and turns its failure into one line on stderr and an exit code: 2 for usage errors,
 * 1 for operating errors (coded XdpchainErrors and system errors such as EACCES). Anything else is a bug
 * and propagates with its stack.
 */
export async function runCommand(command: string, body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.data.command}: ${err.detail} (see '${err.data.command} --help')`);
      return 2;
    }
    if (err instanceof XdpchainError) {
      console.error(`${command}: ${err.message}`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      console.error(`${command}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
}

export interface SubcommandGroup {
  command: string;
  summary: string;
  subcommands: Readonly<Record<string, { summary: string; run: (argv: string[]) => Promise<number> }>>;
}

export function formatGroupHelp(group: SubcommandGroup): string {
  const names = Object.keys(group.subcommands);
  const width = Math.max(...names.map((n) => n.length)) + 3;
  return [
    `usage: ${group.command} <${names.join("|")}> [options]`,
    "",
    group.summary,
    "",
    "subcommands:",
    ...names.map((n) => `  ${n.padEnd(width)}${group.subcommands[n]!.summary}`),
    "",
    `Run '${group.command} <subcommand> --help' for its options.`,
  ].join("\n");
}

/** Dispatches `argv[0]` to a subcommand of the group; bare, help or unknown words get the group's help. */
export async function runSubcommandGroup(group: SubcommandGroup, argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(formatGroupHelp(group));
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(formatGroupHelp(group));
    return 0;
  }
  const sub = group.subcommands[name];
  if (!sub) {
    console.error(`${group.command}: unknown subcommand '${name}' (see '${group.command} --help')`);
    return 2;
  }
  return sub.run(rest);
}
