// The privilege rules behind the AF_XDP fallback line (DESIGN.md "Privileges and fallback"), from raw
// capability bits and limits, without changing this process's privileges.
import { describe, expect, it } from "vitest";

import { privilegeReason } from "../../../../node/net/xdp-support.ts";

const bit = (n: number): bigint => 1n << BigInt(n);
const ALL = bit(12) | bit(13) | bit(14) | bit(39);
const UMEM = 8 << 20;

describe("privilegeReason", () => {
  it("accepts the full set, and CAP_SYS_ADMIN in place of CAP_BPF", () => {
    expect(privilegeReason(ALL, 8192 * 1024, 0, UMEM)).toBeNull();
    expect(privilegeReason((ALL & ~bit(39)) | bit(21), null, 0, UMEM)).toBeNull();
  });
  it("names every missing capability and says when the process is not root", () => {
    expect(privilegeReason(0n, 64 * 1024, 1000, UMEM)).toBe(
      `missing CAP_NET_ADMIN, CAP_NET_RAW, CAP_BPF, CAP_IPC_LOCK (or a memlock limit of ${UMEM} bytes; it is 65536) (not root)`,
    );
    expect(privilegeReason(ALL & ~bit(12), null, 0, UMEM)).toBe("missing CAP_NET_ADMIN");
  });
  it("accepts a memlock limit above the UMEM size without CAP_IPC_LOCK", () => {
    expect(privilegeReason(ALL & ~bit(14), Infinity, 1000, UMEM)).toBeNull();
    expect(privilegeReason(ALL & ~bit(14), UMEM - 1, 1000, UMEM)).toMatch(/CAP_IPC_LOCK/);
  });
  it("defers to the attempt when capabilities cannot be read", () => {
    expect(privilegeReason(null, null, 1000, UMEM)).toBeNull();
  });
});
