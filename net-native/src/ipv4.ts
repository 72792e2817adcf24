// IPv4 addresses as dotted strings (the transports' Address.host) and as 32-bit host-order numbers (what the
// native side uses). Both directions are cached with a bound, since a node talks to a bounded set of peers
// and formatting a string per received datagram would cost more than the rest of the receive path.

const CACHE_MAX = 4096;
const toNumber = new Map<string, number>();
const toText = new Map<number, string>();

/** Parses "a.b.c.d"; returns -1 for anything else (no leading zeros, no shorthand forms). */
export function parseIpv4(text: string): number {
  const hit = toNumber.get(text);
  if (hit !== undefined) return hit;
  const parts = text.split(".");
  if (parts.length !== 4) return -1;
  let value = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return -1;
    const n = Number(p);
    if (n > 255) return -1;
    value = value * 256 + n;
  }
  if (toNumber.size >= CACHE_MAX) toNumber.clear();
  toNumber.set(text, value);
  return value;
}

export function formatIpv4(value: number): string {
  const hit = toText.get(value);
  if (hit !== undefined) return hit;
  const text = `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
  if (toText.size >= CACHE_MAX) toText.clear();
  toText.set(value, text);
  return text;
}

export function parseMac(text: string): Uint8Array | null {
  const parts = text.split(":");
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return null;
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}
