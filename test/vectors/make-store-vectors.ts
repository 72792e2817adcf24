// Regenerates test/vectors/store-formats.json. Run only when a disk format changes on purpose (and bump the
// format version that guards it): `npx tsx test/vectors/make-store-vectors.ts`.

import { writeFileSync } from "node:fs";
import { storeVectorCases } from "./store-vector-cases.ts";
import { toHex } from "../../consensus/crypto/hash.ts";

const out: Record<string, string> = {};
for (const [name, bytes] of Object.entries(storeVectorCases())) out[name] = toHex(bytes);
writeFileSync(new URL("./store-formats.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${Object.keys(out).length} vectors`);
