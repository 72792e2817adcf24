// Signature check and order id of one lane order, through OpenSSL's EVP interface: ed25519 over
// tag("laneOrder") || header || legs, and the order id sha256 of the same bytes (consensus/lane/order-codec.ts).
// The rule is the network's (consensus/crypto/ed25519.ts): strict RFC 8032, cofactorless. OpenSSL's equation is
// that one; the encoding checks OpenSSL leaves to its version (S < L, canonical key, key not of small order)
// are made here explicitly, so native ingest and the JavaScript verifiers accept exactly the same orders.
//
// OpenSSL comes from the host process: inside Node the addon calls the copy Node exports (headers from Node's
// include directory, no -lcrypto); the plain C++ test binary links the system libcrypto.
// Threads: one OrderVerifier per thread (it owns a digest context and a scratch buffer). No syscalls.
#pragma once

#include <cstdint>
#include <vector>

struct evp_md_ctx_st;

namespace xdpchain {

// False for a key that is not a canonical encoding (y >= p) or whose point has small order.
bool ed25519_key_acceptable(const uint8_t key[32]);
// True when the little-endian scalar S is below the group order L.
bool ed25519_scalar_canonical(const uint8_t s[32]);

class OrderVerifier {
 public:
  // The domain tag bytes as consensus/crypto/domains.ts makes them (JavaScript passes them at open).
  explicit OrderVerifier(const std::vector<uint8_t>& domain_tag);
  ~OrderVerifier();
  OrderVerifier(const OrderVerifier&) = delete;
  OrderVerifier& operator=(const OrderVerifier&) = delete;

  // `order` passed parse_lane_order(). True when the signature is valid; then `id` receives the order id.
  bool verify(const uint8_t* order, uint32_t len, uint8_t id[32]);
  // The order id alone (tests compare it with the TypeScript codec's).
  bool order_id(const uint8_t* order, uint32_t len, uint8_t id[32]);

 private:
  uint32_t stage(const uint8_t* order, uint32_t len);  // copies tag || body into message_; returns its length

  std::vector<uint8_t> message_;
  uint32_t tag_bytes_;
  evp_md_ctx_st* ctx_;
};

}  // namespace xdpchain
