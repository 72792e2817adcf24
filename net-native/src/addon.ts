// Loads the compiled addon once per process, or explains why it cannot: the reason feeds the one-line log of
// the transport fallback ("native addon not built: missing libbpf headers ..."). XDPCHAIN_NATIVE_ADDON
// overrides the path (the ASan test run points it at build/asan/xdpchain_net.node).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { NativeAddon } from "./native-types.ts";
import { XdpError } from "./xdp-error.ts";

export type AddonLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

const buildDir = join(dirname(fileURLToPath(import.meta.url)), "..", "build");
let loaded: AddonLoad | undefined;

/** Why the last build produced nothing usable, or null when it succeeded. */
function buildFailure(): string | null {
  try {
    const status = JSON.parse(readFileSync(join(buildDir, "status.json"), "utf8")) as { built: boolean; reason?: string };
    return status.built ? null : (status.reason ?? "unknown");
  } catch {
    return "no build output (run: npm run build:native)";
  }
}

export function loadAddon(): AddonLoad {
  if (loaded) return loaded;
  const override = process.env.XDPCHAIN_NATIVE_ADDON;
  const path = override ?? join(buildDir, "Release", "xdpchain_net.node");
  // A failed rebuild may leave an older binary behind: trust the build's status, not the file's presence.
  const failure = override ? null : buildFailure();
  if (failure !== null || !existsSync(path)) {
    loaded = { ok: false, reason: `native addon not built: ${failure ?? `${path} missing`}` };
    return loaded;
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    loaded = addon.abiVersion === 1 ? { ok: true, addon, path } : { ok: false, reason: `native addon ABI ${addon.abiVersion}, expected 1 (rebuild)` };
  } catch (err) {
    loaded = { ok: false, reason: `native addon failed to load: ${(err as Error).message.split("\n")[0]}` };
  }
  return loaded;
}

/** The addon, or an XdpError (XDP_ERROR_ADDON_UNAVAILABLE) that carries the reason. */
export function requireAddon(): NativeAddon {
  const l = loadAddon();
  if (!l.ok) throw new XdpError("XDP_ERROR_ADDON_UNAVAILABLE", l.reason, { errno: 0, detail: l.reason });
  return l.addon;
}
