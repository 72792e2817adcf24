// The Promise.withResolvers shim that libp2p 3 needs on Node 20: installs only where missing, behaves as ES2024.
import { describe, expect, it } from "vitest";

import { installPromiseWithResolvers } from "../../../../node/p2p/promise-with-resolvers.ts";

type WithResolvers = <T>() => { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };

describe("installPromiseWithResolvers", () => {
  it("installs a working, non-enumerable method on a Promise constructor that lacks it", async () => {
    class BarePromise<T> extends Promise<T> {}
    Object.defineProperty(BarePromise, "withResolvers", { value: undefined, configurable: true, writable: true });
    expect(installPromiseWithResolvers(BarePromise)).toBe(true);
    const descriptor = Object.getOwnPropertyDescriptor(BarePromise, "withResolvers")!;
    expect(descriptor.enumerable).toBe(false);
    expect(descriptor.writable).toBe(true);
    const make = (BarePromise as unknown as { withResolvers: WithResolvers }).withResolvers.bind(BarePromise);
    const ok = make<number>();
    expect(ok.promise).toBeInstanceOf(BarePromise); // constructed through `this`, as the spec says
    ok.resolve(7);
    await expect(ok.promise).resolves.toBe(7);
    const bad = make<number>();
    bad.reject(new Error("no"));
    await expect(bad.promise).rejects.toThrow("no");
  });

  it("leaves an existing implementation alone", () => {
    const existing = () => "native";
    class HasIt<T> extends Promise<T> {}
    Object.defineProperty(HasIt, "withResolvers", { value: existing, configurable: true, writable: true });
    expect(installPromiseWithResolvers(HasIt)).toBe(false);
    expect((HasIt as unknown as { withResolvers: unknown }).withResolvers).toBe(existing);
  });

  it("has made the global Promise.withResolvers available on this runtime", () => {
    expect(typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers).toBe("function");
  });
});
