#!/usr/bin/env node
// Builds net-native: the XDP program (clang -target bpf), the addon (C++ with node-addon-api, linked against
// the distribution's libbpf), the plain C++ test binary and the benchmark tools. Run by the root package's
// `install` script, so `npm ci` builds it. Not node-gyp: one compiler call per file keeps the ASan variant and
// the standalone binaries simple. Usage: node net-native/scripts/build.mjs [--asan] [--quiet]
//
// OpenSSL (the order lane's ed25519 and sha256): the addon compiles against the headers in Node's include
// directory and calls the OpenSSL that the Node executable exports, so it links no libcrypto of its own. The
// standalone binaries have no Node around them and link the system libcrypto (Debian: libssl-dev, or at least
// libssl3); without it they are skipped with a warning and the addon is still built.
//
// When a prerequisite is missing it explains what to install and exits 0, so `npm ci` still works on a
// developer machine (the transports then fall back to UDP and say why). With CI=true or
// XDPCHAIN_NATIVE_REQUIRED=1 a missing prerequisite or a failed build is an error instead.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const asan = process.argv.includes("--asan");
const required = process.env.CI === "true" || process.env.XDPCHAIN_NATIVE_REQUIRED === "1";
const out = join(root, "build", asan ? "asan" : "Release");
const gen = join(root, "build", "gen");
const statusFile = join(root, "build", asan ? "status-asan.json" : "status.json");

const NATIVE = [
  "native/frame.cc", "native/xsk_socket.cc", "native/xdp_program.cc", "native/rx_worker.cc", "native/tx_path.cc",
  "native/netlink.cc", "native/engine.cc", "native/netns.cc", "native/fake_nic.cc",
  "native/lane_dedupe.cc", "native/lane_verify.cc", "native/lane_pipeline.cc",
];
const BINDING = ["binding/addon.cc", "binding/engine_wrap.cc", "binding/stats_object.cc", "binding/test_hooks.cc"];

function log(line) {
  if (!process.argv.includes("--quiet")) console.log(`net-native: ${line}`);
}

function which(cmd) {
  try {
    return execFileSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

function finish(built, reason) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, JSON.stringify({ built, reason, variant: asan ? "asan" : "release", at: new Date().toISOString() }) + "\n");
  if (built) return log(`built ${relative(process.cwd(), out)}`);
  const line = `native addon not built: ${reason}`;
  if (required) {
    console.error(`net-native: ${line}`);
    process.exit(1);
  }
  console.warn(`net-native: ${line}; transports will fall back to UDP`);
  process.exit(0);
}

function nodeIncludeDir() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, "include", "node"),
    join(dirname(process.execPath), "..", "include", "node"),
    "/usr/include/node",
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, "node_api.h"))) ?? null;
}

function checkPrerequisites() {
  const missing = [];
  const multiarch = which("gcc") ? execFileSync("gcc", ["-print-multiarch"], { encoding: "utf8" }).trim() : "";
  if (!which("clang")) missing.push("clang (apt-get install clang)");
  if (!which("c++")) missing.push("a C++ compiler (apt-get install build-essential)");
  if (!existsSync("/usr/include/bpf/libbpf.h")) missing.push("libbpf headers (apt-get install libbpf-dev)");
  if (!existsSync("/usr/include/linux/if_xdp.h")) missing.push("kernel headers (apt-get install linux-libc-dev)");
  const nodeInclude = nodeIncludeDir();
  if (!nodeInclude) missing.push("Node.js headers (node_api.h; Debian: apt-get install libnode-dev, or set npm_config_nodedir)");
  else if (!existsSync(join(nodeInclude, "openssl", "evp.h")) && !existsSync("/usr/include/openssl/evp.h")) {
    missing.push("OpenSSL headers (not in Node's include directory; apt-get install libssl-dev)");
  }
  let addonApi = null;
  try {
    addonApi = dirname(createRequire(join(root, "..", "package.json")).resolve("node-addon-api/package.json"));
  } catch {
    missing.push("node-addon-api (npm install)");
  }
  return { missing, multiarch, nodeInclude, addonApi };
}

function newest(files) {
  return Math.max(...files.map((f) => (existsSync(f) ? statSync(f).mtimeMs : Infinity)));
}

function headers() {
  const dirs = ["native", "binding", "bpf", "test/native"].map((d) => join(root, d));
  return dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".h")).map((f) => join(d, f)));
}

async function buildProgram(multiarch) {
  const src = join(root, "bpf", "xdp_steer.bpf.c");
  const obj = join(root, "build", "xdp_steer.bpf.o");
  const inc = join(gen, "xdp_steer_object.inc");
  mkdirSync(gen, { recursive: true });
  if (existsSync(inc) && statSync(inc).mtimeMs > newest([src, join(root, "bpf", "steer_abi.h")])) return;
  const include = multiarch ? [`-I/usr/include/${multiarch}`] : [];
  await run("clang", ["-O2", "-g", "-Wall", "-Werror", "-target", "bpf", ...include, "-c", src, "-o", obj]);
  const bytes = readFileSync(obj);
  const rows = [];
  for (let i = 0; i < bytes.length; i += 16) rows.push(Array.from(bytes.subarray(i, i + 16), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(","));
  writeFileSync(inc, `// Generated by net-native/scripts/build.mjs from bpf/xdp_steer.bpf.c. Do not edit.\n` +
    `alignas(8) const unsigned char kXdpSteerObject[] = {\n${rows.join(",\n")}\n};\n` +
    `const unsigned long kXdpSteerObjectBytes = sizeof(kXdpSteerObject);\n`);
  log(`compiled XDP program (${bytes.length} bytes)`);
}

function cxxFlags(env) {
  const common = ["-std=c++20", "-fPIC", "-g", "-Wall", "-Wextra", "-Wno-missing-field-initializers", "-pthread",
    "-fvisibility=hidden", `-I${gen}`, `-I${env.nodeInclude}`, `-I${env.addonApi}`,
    "-DNAPI_VERSION=8", "-DNODE_ADDON_API_DISABLE_DEPRECATED", "-DNAPI_CPP_EXCEPTIONS"];
  return asan ? [...common, "-O1", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"]
    : [...common, "-O2"];
}

// Compiles sources two at a time (these machines have two cores), skipping objects newer than their inputs.
async function compile(sources, flags) {
  const headerTime = newest(headers());
  const objects = sources.map((s) => join(out, "obj", s.replace(/[/.]/g, "_") + ".o"));
  mkdirSync(join(out, "obj"), { recursive: true });
  const queue = sources.map((s, i) => [join(root, s), objects[i]]);
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const [src, obj] = job;
      if (existsSync(obj) && statSync(obj).mtimeMs > Math.max(statSync(src).mtimeMs, headerTime, newest([join(gen, "xdp_steer_object.inc")]))) continue;
      log(`c++ ${relative(root, src)}`);
      await run("c++", [...flags, "-c", src, "-o", obj], { maxBuffer: 1 << 24 });
    }
  };
  await Promise.all([worker(), worker()]);
  return objects;
}

async function link(objects, output, extra) {
  const flags = asan ? ["-fsanitize=address,undefined"] : [];
  await run("c++", [...flags, "-pthread", ...extra, "-o", output, ...objects, "-lbpf"], { maxBuffer: 1 << 24 });
}

/** The system libcrypto for binaries that run without Node: the development link, else the runtime library. */
function systemLibcrypto() {
  for (const name of ["libcrypto.so", "libcrypto.so.3"]) {
    const path = execFileSync("c++", [`-print-file-name=${name}`], { encoding: "utf8" }).trim();
    if (path !== name && existsSync(path)) return path;
  }
  return null;
}

async function main() {
  const env = checkPrerequisites();
  if (env.missing.length) finish(false, `missing ${env.missing.join(", ")}`);
  try {
    await buildProgram(env.multiarch);
    const flags = cxxFlags(env);
    const native = await compile(NATIVE, flags);
    const binding = await compile(BINDING, flags);
    const tests = await compile(["test/native/native_tests.cc", "test/native/lane_tests.cc"], flags);
    const tools = await compile(["tools/xsk_rx_count.cc", "tools/xsk_flood.cc"], flags);
    await link([...native, ...binding], join(out, "xdpchain_net.node"), ["-shared"]);
    const libcrypto = systemLibcrypto();
    if (libcrypto) {
      await link([...native, ...tests, libcrypto], join(out, "native-tests"), []);
      await link([...native, tools[0], libcrypto], join(out, "xsk-rx-count"), []);
      await link([...native, tools[1], libcrypto], join(out, "xsk-flood"), []);
    } else {
      console.warn("net-native: native-tests and tools not linked: no system libcrypto (apt-get install libssl-dev)");
    }
  } catch (err) {
    const detail = String(err.stderr || err.message || err).split("\n").filter(Boolean).slice(0, 30).join("\n");
    console.error(detail);
    finish(false, `compilation failed (${detail.split("\n")[0]})`);
  }
  finish(true, null);
}

await main();
