// Test runner configuration: one suite for unit, property, vectors, simulation, e2e and netns tests.
// Root-only and docker suites decide for themselves whether to run and print why they skip.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "net-native/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    setupFiles: ["test/setup/property-seed.ts"],
    reporters: ["default"],
  },
});
