// ed25519 and sha256 of lane orders through OpenSSL (see lane_verify.h).
#include "lane_verify.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <cstring>

#include "lane_order.h"

namespace xdpchain {
namespace {

// Little-endian encodings, top bit (the sign of x) excluded from the comparison.
const uint8_t kFieldPrime[32] = {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
const uint8_t kGroupOrder[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
// The y coordinates of the eight points of small order: 0 (order 4), 1 (identity), p-1 (order 2) and +-y8 (order 8).
const uint8_t kSmallOrderY[5][32] = {
    {0},
    {1},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
     0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
     0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
};

// -1, 0, 1 as a < b, a == b, a > b, comparing little-endian 255-bit values (bit 255 of `a` ignored).
int compare_le255(const uint8_t a[32], const uint8_t b[32]) {
  for (int i = 31; i >= 0; --i) {
    uint8_t x = i == 31 ? a[i] & 0x7f : a[i];
    if (x != b[i]) return x < b[i] ? -1 : 1;
  }
  return 0;
}

}  // namespace

bool ed25519_key_acceptable(const uint8_t key[32]) {
  if (compare_le255(key, kFieldPrime) >= 0) return false;
  for (const auto& y : kSmallOrderY) {
    if (compare_le255(key, y) == 0) return false;
  }
  return true;
}

bool ed25519_scalar_canonical(const uint8_t s[32]) {
  for (int i = 31; i >= 0; --i) {
    if (s[i] != kGroupOrder[i]) return s[i] < kGroupOrder[i];
  }
  return false;  // S == L
}

OrderVerifier::OrderVerifier(const std::vector<uint8_t>& domain_tag)
    : message_(domain_tag.size() + kOrderBytesMax), tag_bytes_(static_cast<uint32_t>(domain_tag.size())),
      ctx_(EVP_MD_CTX_new()) {
  std::memcpy(message_.data(), domain_tag.data(), domain_tag.size());
}

OrderVerifier::~OrderVerifier() { EVP_MD_CTX_free(ctx_); }

uint32_t OrderVerifier::stage(const uint8_t* order, uint32_t len) {
  uint32_t body = len - kOrderSignatureBytes;
  std::memcpy(message_.data() + tag_bytes_, order, body);
  return tag_bytes_ + body;
}

bool OrderVerifier::order_id(const uint8_t* order, uint32_t len, uint8_t id[32]) {
  uint32_t n = stage(order, len);
  unsigned int out = 0;
  return EVP_Digest(message_.data(), n, id, &out, EVP_sha256(), nullptr) == 1 && out == 32;
}

bool OrderVerifier::verify(const uint8_t* order, uint32_t len, uint8_t id[32]) {
  if (!ctx_) return false;  // allocation failed at construction: refuse rather than accept unchecked
  const uint8_t* key = order + kOrderTradingKeyOffset;
  const uint8_t* sig = order + len - kOrderSignatureBytes;
  if (!ed25519_scalar_canonical(sig + 32) || !ed25519_key_acceptable(key)) return false;
  uint32_t n = stage(order, len);
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key, 32);
  if (!pkey) return false;
  bool ok = EVP_DigestVerifyInit(ctx_, nullptr, nullptr, nullptr, pkey) == 1 &&
            EVP_DigestVerify(ctx_, sig, kOrderSignatureBytes, message_.data(), n) == 1;
  EVP_MD_CTX_reset(ctx_);
  EVP_PKEY_free(pkey);
  if (!ok) {
    ERR_clear_error();  // a refused signature may leave an entry on this thread's OpenSSL error queue
    return false;
  }
  unsigned int out = 0;
  return EVP_Digest(message_.data(), n, id, &out, EVP_sha256(), nullptr) == 1 && out == 32;
}

}  // namespace xdpchain
