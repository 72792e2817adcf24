// Lays out a devnet on disk: a fresh genesis (the dev mnemonic's accounts funded, N validators with INSECURE
// devnet keys, genesis time now), and one node home per validator with its config.json, node key and key file,
// each peering with all the others. Addresses come from a Topology: loopback ports, or one network namespace per
// validator (devnet-netns.ts). Followers (non-validators) get homes too. Writes files only; runs nothing.

import * as fs from "node:fs";
import * as path from "node:path";
import { toHex } from "../../consensus/crypto/hash.ts";
import { generateDevnetGenesis } from "../../genesis/devnet-genesis.ts";
import { genesisHash } from "../../genesis/genesis-hash.ts";
import { writeValidatorKeyFiles } from "../../genesis/validator-key-file.ts";
import { writeNodeConfig, type Transport } from "../config/node-config.ts";
import { createNodeKey } from "../keys/node-key.ts";
import { peerIdFromSecretKey } from "../p2p/peer-identity.ts";

/** Where node i listens. Loopback: 127.0.0.1 with per-node ports; netns: its own address, fixed ports. */
export interface NodeAddresses {
  host: string;
  dataPort: number;
  p2pPort: number;
  rpcPort: number;
  metricsPort: number;
  /** UDP port of the order lane (clients send orders here). */
  lanePort: number;
  /** The interface AF_XDP binds to (netns topology only). */
  interface?: string;
  /** Network namespace the process runs in (netns topology only). */
  netns?: string;
}

export interface Topology {
  readonly kind: "loopback" | "netns";
  addresses(index: number): NodeAddresses;
}

export function loopbackTopology(base: { rpcPort: number; dataPort?: number; p2pPort?: number; metricsPort?: number; lanePort?: number }): Topology {
  return {
    kind: "loopback",
    addresses: (i) => ({
      host: "127.0.0.1",
      dataPort: (base.dataPort ?? 9000) + i,
      p2pPort: (base.p2pPort ?? 26656) + i,
      rpcPort: base.rpcPort + i,
      metricsPort: (base.metricsPort ?? 9615) + i,
      lanePort: (base.lanePort ?? 9400) + i,
    }),
  };
}

export interface DevnetPlanOptions {
  dir: string;
  validators: number;
  /** Nodes outside the validator set that follow by block sync (e.g. a late joiner). */
  followers?: number;
  transport: Transport;
  topology: Topology;
  chainId?: bigint;
  blockIntervalMs?: number;
  logLevel?: "debug" | "info" | "warn" | "error";
  /** Shorter timeouts make a killed validator's missed views cost less on a devnet. */
  leaderTimeoutMs?: number;
}

export interface PlannedNode {
  index: number;
  role: "validator" | "follower";
  home: string;
  peerId: string;
  addresses: NodeAddresses;
  publicKey?: string;
}

export interface DevnetPlan {
  dir: string;
  genesisFile: string;
  genesisHash: string;
  chainId: bigint;
  nodes: PlannedNode[];
}

export function createDevnetPlan(o: DevnetPlanOptions): DevnetPlan {
  const dir = path.resolve(o.dir);
  fs.mkdirSync(dir, { recursive: true });
  const genesisTime = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  const { genesis, json, validatorKeys } = generateDevnetGenesis({ validators: o.validators, genesisTime, ...(o.chainId ? { chainId: o.chainId } : {}) });
  const genesisFile = path.join(dir, "genesis.json");
  fs.writeFileSync(genesisFile, JSON.stringify(json, null, 2) + "\n");
  const keyFiles = writeValidatorKeyFiles(path.join(dir, "keys"), validatorKeys);
  const total = o.validators + (o.followers ?? 0);
  const nodes: PlannedNode[] = [];
  for (let i = 0; i < total; i++) {
    const home = path.join(dir, i < o.validators ? `validator-${i}` : `follower-${i - o.validators}`);
    fs.mkdirSync(home, { recursive: true });
    const nodeKey = createNodeKey(path.join(home, "node-key.json"));
    nodes.push({
      index: i,
      role: i < o.validators ? "validator" : "follower",
      home,
      peerId: peerIdFromSecretKey(nodeKey.secretKey),
      addresses: o.topology.addresses(i),
      ...(i < o.validators ? { publicKey: `0x${toHex(validatorKeys[i]!.publicKey)}` } : {}),
    });
  }
  for (const node of nodes) writeHome(node, nodes, o, genesisFile, node.role === "validator" ? keyFiles[node.index]! : null);
  return { dir, genesisFile, genesisHash: `0x${toHex(genesisHash(genesis))}`, chainId: genesis.chainId, nodes };
}

function writeHome(node: PlannedNode, all: readonly PlannedNode[], o: DevnetPlanOptions, genesisFile: string, keyFile: string | null): void {
  const a = node.addresses;
  const others = all.filter((n) => n !== node);
  // Validators send votes and blocks to every validator; followers learn the chain by block sync.
  const dataPeers = others.filter((n) => n.role === "validator").map((n) => ({ host: n.addresses.host, port: n.addresses.dataPort }));
  const bootstrap = others
    .filter((n) => n.role === "validator")
    .map((n) => `/ip4/${n.addresses.host}/tcp/${n.addresses.p2pPort}/p2p/${n.peerId}`);
  writeNodeConfig(
    node.home,
    {
      genesisFile,
      validatorKeyFile: keyFile,
      nodeKeyFile: "node-key.json",
      dataDir: "data",
      dataPlane: { transport: o.transport, host: a.host, port: a.dataPort, peers: dataPeers, ...(a.interface ? { interface: a.interface } : {}) },
      p2p: { listen: [`/ip4/${a.host}/tcp/${a.p2pPort}`], bootstrap },
      rpc: { host: a.host, port: a.rpcPort, corsOrigins: ["*"] },
      metrics: { host: a.host, port: a.metricsPort },
      consensus: { blockIntervalMs: o.blockIntervalMs ?? 200, ...(o.leaderTimeoutMs ? { leaderTimeoutMs: o.leaderTimeoutMs, notarizationTimeoutMs: 2 * o.leaderTimeoutMs } : {}) },
      log: { level: o.logLevel ?? "info", format: "json" },
      lane: { port: a.lanePort },
    },
    { fresh: true },
  );
}
