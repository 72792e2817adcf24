#!/usr/bin/env node
// `npm run test:asan`: builds net-native with AddressSanitizer and UndefinedBehaviorSanitizer, runs the plain
// C++ tests (rings, frames, the receive worker over FakeNic, close while busy, the send path), then runs
// net-native's JavaScript tests (and, as root, the AF_XDP lifecycle and lane tests) with the sanitized addon loaded
// into Node (libasan preloaded; leak checking off for Node itself, which keeps memory until exit by design).
// Any sanitizer report fails the run.
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(root, "..");
const out = join(root, "build", "asan");

function step(name, cmd, args, env) {
  console.log(`test:asan: ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: repo, env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`test:asan: ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

step("build", process.execPath, [join(root, "scripts", "build.mjs"), "--asan"], { XDPCHAIN_NATIVE_REQUIRED: "1" });
const sanitizers = {
  ASAN_OPTIONS: "abort_on_error=1:detect_leaks=1:strict_string_checks=1",
  UBSAN_OPTIONS: "halt_on_error=1:print_stacktrace=1",
};
step("native tests", join(out, "native-tests"), [], sanitizers);

const libasan = execFileSync("c++", ["-print-file-name=libasan.so"], { encoding: "utf8" }).trim();
step("JavaScript tests with the sanitized addon", process.execPath, [join(repo, "node_modules", "vitest", "vitest.mjs"), "run", "net-native/test", ...(process.getuid?.() === 0 ? ["test/netns/xdp-lifecycle.test.ts", "test/netns/lane-ingest-xdp.test.ts"] : [])], {
  LD_PRELOAD: libasan,
  ASAN_OPTIONS: "abort_on_error=1:detect_leaks=0:verify_asan_link_order=0",
  UBSAN_OPTIONS: "halt_on_error=1:print_stacktrace=1",
  XDPCHAIN_NATIVE_ADDON: join(out, "xdpchain_net.node"),
});
console.log("test:asan: passed");
