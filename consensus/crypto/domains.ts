// Domain separation tags. Every signature and every consensus hash is over tag || body, where the tag is
// the ASCII of the name below followed by a zero byte. A new kind of signed or hashed object gets a new
// entry; existing tags are never changed or reused, or old signatures would change meaning.

export const DOMAINS = {
  vote: "xdpchain/vote/v1",
  blockHeader: "xdpchain/block-header/v1",
  proposal: "xdpchain/proposal/v1",
  shredRoot: "xdpchain/shred-root/v1",
  merkleLeaf: "xdpchain/merkle-leaf/v1",
  merkleNode: "xdpchain/merkle-node/v1",
  stateLeaf: "xdpchain/state-leaf/v1",
  stateNode: "xdpchain/state-node/v1",
  leaderSeed: "xdpchain/leader-seed/v1",
  genesis: "xdpchain/genesis/v1",
  evidence: "xdpchain/evidence/v1",
  laneOrder: "xdpchain/lane-order/v1",
  laneReceipts: "xdpchain/lane-receipts/v1",
  validatorRegistration: "xdpchain/validator-registration/v1",
  epochSeed: "xdpchain/epoch-seed/v1",
  laneTieBreak: "xdpchain/lane-tie-break/v1",
  laneState: "xdpchain/lane-state/v1",
} as const;

export type Domain = keyof typeof DOMAINS;

const tagCache = new Map<Domain, Uint8Array>();

export function domainTag(domain: Domain): Uint8Array {
  let tag = tagCache.get(domain);
  if (!tag) {
    const ascii = new TextEncoder().encode(DOMAINS[domain]);
    tag = new Uint8Array(ascii.length + 1);
    tag.set(ascii);
    tagCache.set(domain, tag);
  }
  return tag;
}

/** tag(domain) || body, the exact bytes a signature covers. */
export function withDomain(domain: Domain, body: Uint8Array): Uint8Array {
  const tag = domainTag(domain);
  const out = new Uint8Array(tag.length + body.length);
  out.set(tag);
  out.set(body, tag.length);
  return out;
}
