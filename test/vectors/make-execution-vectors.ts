// Regenerates test/vectors/execution-codecs.json. Run only when an encoding or execution rule changes on
// purpose (and say so in the commit): `npx tsx test/vectors/make-execution-vectors.ts`.

import { writeFileSync } from "node:fs";
import { executionVectorCases } from "./execution-vector-cases.ts";
import { toHex } from "../../consensus/crypto/hash.ts";

const out: Record<string, string> = {};
for (const [name, bytes] of Object.entries(executionVectorCases())) out[name] = toHex(bytes);
writeFileSync(new URL("./execution-codecs.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${Object.keys(out).length} vectors`);
