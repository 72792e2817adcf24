// Regenerates test/vectors/data-plane-codecs.json from the fixtures. Run only when an encoding changes on
// purpose (and say so in the commit): `npx tsx test/vectors/make-data-plane-vectors.ts`.

import { writeFileSync } from "node:fs";
import { dataPlaneVectorCases } from "./data-plane-vector-cases.ts";
import { toHex } from "../../consensus/crypto/hash.ts";

const out: Record<string, string> = {};
for (const [name, bytes] of Object.entries(dataPlaneVectorCases())) out[name] = toHex(bytes);
writeFileSync(new URL("./data-plane-codecs.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${Object.keys(out).length} vectors`);
