// Run as a child process by control-plane-exit.test.ts: a short control-plane session that must leave nothing
// behind. It never calls process.exit: the process ends only if stop() released every socket and timer.
// Includes a bootstrap peer that never comes up (pending redial timer) and a request in flight at stop().
import { peerIdFromSecretKey } from "../../../../node/p2p/peer-identity.ts";
import { freePort, seedKey, startNode, waitFor, connectedTo } from "./plane-fixture.ts";

const absentPort = await freePort();
const absent = `/ip4/127.0.0.1/tcp/${absentPort}/p2p/${peerIdFromSecretKey(seedKey(99))}`;
const server = await startNode({ seed: 41, blocksByRange: () => new Promise<Uint8Array[]>(() => {}) }); // never answers
const client = await startNode({ seed: 42, bootstrap: [server.plane.addresses()[0]!, absent] });
await waitFor(() => connectedTo(client, server) && connectedTo(server, client), "connection");
client.plane.gossipTransactions([Uint8Array.of(1, 2, 3)]);
await waitFor(() => server.received.length === 1, "gossip");
const inFlight = client.plane.requestBlocksByRange(server.plane.peerId, 1, 1, AbortSignal.timeout(60_000)).then(
  () => "answered",
  (err: { code?: string }) => err.code ?? "no code",
);
await new Promise((r) => setTimeout(r, 100));
const stopStart = Date.now();
await Promise.all([client.plane.stop(), server.plane.stop()]);
const outcome = await inFlight;
console.log(JSON.stringify({ event: "stopped", stopMs: Date.now() - stopStart, inFlight: outcome }));
