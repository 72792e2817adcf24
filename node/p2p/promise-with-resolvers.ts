// Installs Promise.withResolvers (ES2024) where the runtime lacks it, as Node 20 does (it arrived in Node 22).
// Needed because libp2p 3 and its helpers (@libp2p/utils, @chainsafe/libp2p-yamux, it-queue, mortice) call it
// at run time: without it every inbound connection upgrade fails and the dialer only sees ECONNRESET. This is
// not a general polyfill collection; it adds exactly this one standard method, and nothing when it exists.
// Import it before libp2p (control-plane.ts does). Remove once package.json requires Node >= 22.

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

/** The spec's algorithm: construct through `this` (so subclasses get their own type), hand out the resolvers. */
function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
  let resolve!: Resolvers<T>["resolve"];
  let reject!: Resolvers<T>["reject"];
  const promise = new this<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Installs on `target` (the global Promise by default) if missing; returns true when it installed. */
export function installPromiseWithResolvers(target: PromiseConstructor = Promise): boolean {
  if (typeof (target as unknown as { withResolvers?: unknown }).withResolvers === "function") return false;
  // Same property attributes as the built-in: writable, configurable, not enumerable.
  Object.defineProperty(target, "withResolvers", { value: withResolvers, writable: true, configurable: true, enumerable: false });
  return true;
}

installPromiseWithResolvers();
