// The log interface the validator's parts write to: a message first, structured fields second, and child logs
// per component. pinoNodeLog adapts a pino logger (node/log/logger.ts) to it; tests pass a collecting fake.

import type { Logger as PinoLogger } from "pino";

export interface NodeLog {
  debug(msg: string, data?: object): void;
  info(msg: string, data?: object): void;
  warn(msg: string, data?: object): void;
  error(msg: string, data?: object): void;
  child(component: string): NodeLog;
}

export function pinoNodeLog(p: PinoLogger): NodeLog {
  const at = (level: "debug" | "info" | "warn" | "error") => (msg: string, data?: object) => (data ? p[level](data, msg) : p[level](msg));
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (component) => pinoNodeLog(p.child({ component })),
  };
}
