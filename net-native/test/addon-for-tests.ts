// Loads the addon for net-native's tests, or gives the reason to skip (printed once, so a skip is never silent).
// CI builds the addon, so there a missing addon fails the suite instead of skipping it.
import { loadAddon, type NativeAddon } from "../src/index.ts";

const load = loadAddon();

export const addon: NativeAddon | null = load.ok ? load.addon : null;
export const addonSkipReason: string | null = load.ok ? null : load.reason;

if (load.ok && process.env.XDPCHAIN_NATIVE_ADDON) console.log(`net-native tests use ${load.path}`);
if (addonSkipReason) {
  if (process.env.CI === "true") throw new Error(`CI must build the native addon: ${addonSkipReason}`);
  console.log(`net-native tests skipped: ${addonSkipReason}`);
}

export const rootSkipReason: string | null = process.getuid?.() === 0 ? null : "not root (BPF_PROG_TEST_RUN needs CAP_BPF)";
