// Lint rules. The consensus/ block enforces the purity contract from DESIGN.md: no clock, no timers,
// no randomness, no I/O, no storage or network libraries. Same inputs must give the same outputs everywhere.
import tseslint from "typescript-eslint";

const impureGlobals = [
  { name: "Date", message: "consensus/ is pure: time arrives as an input, never from the clock." },
  { name: "setTimeout", message: "consensus/ is pure: timeouts are outputs performed by node/." },
  { name: "setInterval", message: "consensus/ is pure: timers belong to node/." },
  { name: "setImmediate", message: "consensus/ is pure: scheduling belongs to node/." },
  { name: "queueMicrotask", message: "consensus/ is pure: scheduling belongs to node/." },
  { name: "performance", message: "consensus/ is pure: no clocks." },
  { name: "process", message: "consensus/ is pure: no process state." },
  { name: "fetch", message: "consensus/ is pure: no I/O." },
  { name: "crypto", message: "consensus/ is pure: inject verification, never use global crypto randomness." },
  { name: "require", message: "consensus/ is ESM and pure." },
  { name: "Buffer", message: "consensus/ is pure and platform-free: use Uint8Array." },
];

export default tseslint.config(
  { ignores: ["node_modules/**", "net-native/build/**", "dist/**", "**/*.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["consensus/**/*.ts"],
    rules: {
      "no-restricted-globals": ["error", ...impureGlobals],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "consensus/ is pure: randomness must be seeded and passed in." },
        { object: "globalThis", property: "crypto", message: "consensus/ is pure: no ambient randomness." },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: ["fs", "fs/promises", "net", "dgram", "os", "child_process", "crypto", "path", "http", "https", "worker_threads", "timers", "timers/promises", "buffer"].map((name) => ({
            name,
            message: "consensus/ is pure: no I/O or platform modules.",
          })),
          patterns: [
            { group: ["node:*"], message: "consensus/ is pure: no node:* imports (inject node:crypto verification from node/)." },
            { group: ["level", "classic-level", "abstract-level"], message: "consensus/ is pure: storage lives in node/store." },
            { group: ["@libp2p/*", "libp2p"], message: "consensus/ is pure: networking lives in node/." },
            { group: ["**/node/**", "../node/*", "../../node/*"], message: "Dependencies point one way: nothing in consensus/ imports node/." },
            { group: ["**/net-native/**"], message: "consensus/ knows nothing about transports." },
          ],
        },
      ],
    },
  },
);
