// Passphrase sources in their order (file, environment, terminal prompt), the hidden prompt over a stand-in
// terminal (no echo, backspace, confirmation, Ctrl-C), and the clear error when there is no source at all.
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { passphraseSource, promptHidden, resolvePassphrase, type PromptInput } from "../../../../node/cli/passphrase.ts";
import { makeTempDirs } from "../../../support/temp-dirs.ts";

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

/** A stand-in terminal: each answer arrives once the prompt listens, as keystrokes would. */
function fakeTerminal(typed: string[]): { input: PromptInput & { rawCalls: boolean[] }; written: string[] } {
  const rawCalls: boolean[] = [];
  const listeners = new Set<(chunk: Buffer | string) => void>();
  const input = {
    isTTY: true,
    isRaw: false,
    rawCalls,
    setRawMode: (raw: boolean) => rawCalls.push(raw),
    on(_event: "data", listener: (chunk: Buffer | string) => void) {
      listeners.add(listener);
      queueMicrotask(() => listeners.has(listener) && listener(typed.shift() ?? ""));
    },
    off(_event: "data", listener: (chunk: Buffer | string) => void) {
      listeners.delete(listener);
    },
    resume() {},
    pause() {},
  };
  return { input, written: [] };
}

function writerTo(written: string[]) {
  return { write: (t: string) => void written.push(t) };
}

describe("passphrase sources", () => {
  it("reads a passphrase file without its trailing newline and prefers it over the environment", async () => {
    const file = path.join(tmp.make(), "pw");
    fs.writeFileSync(file, "s3cret phrase\n");
    expect(await resolvePassphrase({ file, env: { XDPCHAIN_PASSPHRASE: "env" } })).toBe("s3cret phrase");
    fs.writeFileSync(file, "crlf\r\n");
    expect(await resolvePassphrase({ file })).toBe("crlf");
    fs.writeFileSync(file, "\n");
    await expect(resolvePassphrase({ file })).rejects.toMatchObject({ code: "KEYS_ERROR_NO_PASSPHRASE" });
    await expect(resolvePassphrase({ file: `${file}-missing` })).rejects.toMatchObject({ code: "KEYS_ERROR_READ" });
  });

  it("uses XDPCHAIN_PASSPHRASE when there is no file, and refuses an empty one", async () => {
    expect(await resolvePassphrase({ env: { XDPCHAIN_PASSPHRASE: "from env" } })).toBe("from env");
    await expect(resolvePassphrase({ env: { XDPCHAIN_PASSPHRASE: "" } })).rejects.toMatchObject({ code: "KEYS_ERROR_NO_PASSPHRASE" });
  });

  it("fails clearly without a source and without a terminal", async () => {
    const notTty = Object.assign(new PassThrough(), { isTTY: false });
    const p = resolvePassphrase({ env: {}, input: notTty, purpose: "the validator key" });
    await expect(p).rejects.toMatchObject({ code: "KEYS_ERROR_NO_PASSPHRASE" });
    await expect(resolvePassphrase({ env: {}, input: notTty, purpose: "the validator key" })).rejects.toThrow(
      /no passphrase for the validator key: pass --passphrase-file FILE or set XDPCHAIN_PASSPHRASE/,
    );
  });

  it("prompts on a terminal without echo, handling backspace, and restores the terminal mode", async () => {
    const { input, written } = fakeTerminal(["ab\u007fc\r"]);
    const answer = await resolvePassphrase({ env: {}, input, output: writerTo(written), purpose: "the key file" });
    expect(answer).toBe("ac");
    expect(written.join("")).toBe("Passphrase for the key file: \n");
    expect(input.rawCalls).toEqual([true, false]);
  });

  it("asks twice when creating and refuses answers that differ", async () => {
    const same = fakeTerminal(["pw1\r", "pw1\r"]);
    expect(await resolvePassphrase({ env: {}, input: same.input, output: writerTo(same.written), confirm: true })).toBe("pw1");
    expect(same.written.join("")).toContain("Repeat the passphrase: ");
    const differ = fakeTerminal(["pw1\r", "pw2\r"]);
    await expect(resolvePassphrase({ env: {}, input: differ.input, output: writerTo(differ.written), confirm: true })).rejects.toMatchObject({
      code: "KEYS_ERROR_PASSPHRASE_MISMATCH",
    });
    const empty = fakeTerminal(["\r"]);
    await expect(resolvePassphrase({ env: {}, input: empty.input, output: writerTo(empty.written) })).rejects.toMatchObject({
      code: "KEYS_ERROR_NO_PASSPHRASE",
    });
  });

  it("aborts the prompt on Ctrl-C", async () => {
    const { input, written } = fakeTerminal(["ab\u0003"]);
    await expect(promptHidden("pw: ", input, writerTo(written))).rejects.toMatchObject({ code: "KEYS_ERROR_PASSPHRASE_ABORTED" });
  });

  it("resolves once and reuses the answer", async () => {
    const file = path.join(tmp.make(), "pw");
    fs.writeFileSync(file, "first");
    const source = passphraseSource({ file });
    expect(await source()).toBe("first");
    fs.writeFileSync(file, "second");
    expect(await source()).toBe("first");
  });
});
