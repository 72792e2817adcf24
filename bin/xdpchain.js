#!/usr/bin/env node
// The operator's CLI entry point. Loads TypeScript sources through tsx so the repository runs as checked out.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../node/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
