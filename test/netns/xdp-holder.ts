// Child process for the crash test in xdp-transport.test.ts: opens an XdpTransport, says "ready", and waits to
// be killed with SIGKILL, after which nothing of it may stay attached to the interface. Not a test itself.
import { XdpTransport } from "../../node/net/xdp-transport.ts";

const [ifname, host, port] = process.argv.slice(2);
const transport = await XdpTransport.open({ interface: ifname!, host: host!, port: Number(port), mode: "skb" });
transport.onBatch(() => {});
console.log("ready");
setTimeout(() => process.exit(3), 60_000); // never outlive the test that spawned it
