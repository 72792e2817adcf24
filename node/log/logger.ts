// The node's logger: pino writing JSON lines (or pino-pretty's human lines) synchronously, so the last lines
// before a crash or an invariant halt are on disk, not in a buffer or a worker thread. One root logger per
// process; components take children (`logger.child({ component: "consensus" })`). Not a metrics channel and
// not an audit log: nothing reads these lines back.

import { pino } from "pino";
import PinoPretty from "pino-pretty";
import { XdpchainError } from "../../consensus/errors.ts";

/** The logger type every part of node/ takes. */
export type Logger = pino.Logger;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ["json", "pretty", "auto"] as const;
/** "auto" is pretty when writing to standard output and that is a terminal, JSON otherwise. */
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Process name on every line (e.g. "xdpchain" or a validator's label). */
  name: string;
  /** A file path (created with its directory) or a file descriptor; standard output when absent. */
  destination?: string | number;
}

export class LoggerError extends XdpchainError<"LOG_ERROR_INVALID_LEVEL" | "LOG_ERROR_INVALID_FORMAT", { value: string }> {}

const STDOUT_FD = 1;

function isStdout(destination: string | number | undefined): boolean {
  return destination === undefined || destination === STDOUT_FD;
}

function usePretty(format: LogFormat, destination: string | number | undefined): boolean {
  if (format === "auto") return isStdout(destination) && process.stdout.isTTY === true;
  return format === "pretty";
}

function checkOptions(options: LoggerOptions): void {
  if (!(LOG_LEVELS as readonly string[]).includes(options.level)) {
    throw new LoggerError("LOG_ERROR_INVALID_LEVEL", `log level must be one of ${LOG_LEVELS.join(", ")}`, { value: String(options.level) });
  }
  if (!(LOG_FORMATS as readonly string[]).includes(options.format)) {
    throw new LoggerError("LOG_ERROR_INVALID_FORMAT", `log format must be one of ${LOG_FORMATS.join(", ")}`, { value: String(options.format) });
  }
}

export function createLogger(options: LoggerOptions): Logger {
  checkOptions(options);
  const dest = options.destination ?? STDOUT_FD;
  const pinoOptions = { level: options.level, name: options.name };
  if (usePretty(options.format, options.destination)) {
    const pretty = PinoPretty({
      destination: dest,
      sync: true,
      mkdir: typeof dest === "string",
      colorize: isStdout(options.destination) && process.stdout.isTTY === true,
      translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
      ignore: "pid,hostname",
    });
    return pino(pinoOptions, pretty);
  }
  return pino(pinoOptions, pino.destination({ dest, sync: true, mkdir: typeof dest === "string" }));
}
