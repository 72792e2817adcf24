// The image's HEALTHCHECK: GET /health on the node's JSON-RPC, exit 0 when it answers 200 within 3 s.
// The address comes from <XDPCHAIN_HOME>/config.json (rpc.host, 0.0.0.0 read as 127.0.0.1, rpc.port), else
// 127.0.0.1:8545. Plain Node, no curl or wget in the image. Not a liveness probe for consensus progress.
import { readFileSync } from "node:fs";
import { join } from "node:path";

let host = "127.0.0.1";
let port = 8545;
try {
  const rpc = JSON.parse(readFileSync(join(process.env.XDPCHAIN_HOME ?? "/var/lib/xdpchain", "config.json"), "utf8")).rpc ?? {};
  if (typeof rpc.host === "string" && rpc.host !== "0.0.0.0") host = rpc.host;
  if (Number.isInteger(rpc.port)) port = rpc.port;
} catch {
  // no readable config: try the default address
}
try {
  const res = await fetch(`http://${host}:${port}/health`, { signal: AbortSignal.timeout(3000) });
  console.log(`${res.status} ${(await res.text()).slice(0, 200)}`);
  process.exit(res.status === 200 ? 0 : 1);
} catch (err) {
  console.log(`rpc at ${host}:${port} unreachable: ${err.cause?.code ?? err.message}`);
  process.exit(1);
}
