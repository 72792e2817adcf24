// Free loopback ports for tests that start real servers: each is bound once (TCP and UDP on the same number)
// and released, then handed out. A port could be taken again between release and use; tests that get
// EADDRINUSE fail loudly rather than retrying silently.

import * as dgram from "node:dgram";
import * as net from "node:net";

async function tcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", () => resolve(false));
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/** `count` distinct ports free for both TCP and UDP on 127.0.0.1 at the time of the call. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const p = await tcpPort();
    if (await udpFree(p)) ports.add(p);
  }
  return [...ports];
}
