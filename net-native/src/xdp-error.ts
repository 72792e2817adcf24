// Operating errors of the AF_XDP layer. The addon throws plain Errors carrying `code` (XDP_ERROR_...) and
// `errno`; toXdpError() turns them into XdpError so callers branch on `code`. Codes mirror native/status.h.
import { XdpchainError } from "../../consensus/errors.ts";

export type XdpErrorCode =
  | "XDP_ERROR_INVALID_ARGUMENT"
  | "XDP_ERROR_INTERFACE"
  | "XDP_ERROR_SOCKET"
  | "XDP_ERROR_UMEM_REGISTER"
  | "XDP_ERROR_RING_SETUP"
  | "XDP_ERROR_BIND"
  | "XDP_ERROR_PROGRAM_LOAD"
  | "XDP_ERROR_ATTACH"
  | "XDP_ERROR_MAP_UPDATE"
  | "XDP_ERROR_NETLINK"
  | "XDP_ERROR_NETNS"
  | "XDP_ERROR_THREAD"
  | "XDP_ERROR_CLOSED"
  | "XDP_ERROR_TEST_RUN"
  | "XDP_ERROR_ADDON_UNAVAILABLE";

export class XdpError extends XdpchainError<XdpErrorCode, { errno: number; detail: string }> {
  get errno(): number {
    return this.data.errno;
  }
}

function isNativeError(err: unknown): err is Error & { code: string; errno?: number; detail?: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === "string";
}

/** Converts an error thrown by the addon; anything else (a bug) is returned unchanged to be rethrown. */
export function toXdpError(err: unknown): unknown {
  if (err instanceof XdpError || !isNativeError(err) || !err.code.startsWith("XDP_ERROR_")) return err;
  return new XdpError(err.code as XdpErrorCode, err.message, { errno: err.errno ?? 0, detail: err.detail ?? "" });
}

/** Runs a native call, converting its coded errors. */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toXdpError(err);
  }
}
