#include "common/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace privacycall::internal {
namespace {

[[noreturn]] void openssl_failed(const char* call) {
  throw std::runtime_error(std::string("OpenSSL: ") + call + " failed");
}

// A key's bytes; never null, since OpenSSL reads a null key as "keep the previous key".
const unsigned char* key_bytes(std::string_view key) {
  static const unsigned char kEmpty = 0;
  return key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
}

}  // namespace
}  // namespace privacycall::internal

// The one place where OpenSSL 1.1.1 and 3.x differ for the SDK: HMAC is EVP_MAC from 3.0 on,
// where the HMAC_* calls are deprecated, and 1.1.1 has only those; 3.0 fetches SHA-256 once
// (EVP_sha256() looks it up on every digest there, which costs more than hashing a push).
// Everything else (EVP_Digest*, EVP_EncodeBlock) is the same in both. The 1.1.1 branch is not
// built or tested by the project's own builds, which all use OpenSSL 3.
#if OPENSSL_VERSION_NUMBER < 0x30000000L

#include <openssl/hmac.h>

namespace privacycall::internal {
namespace {

const EVP_MD* sha256_algorithm() { return EVP_sha256(); }

using MacContext = HMAC_CTX;

MacContext* new_keyed_context(std::string_view key) {
  MacContext* ctx = HMAC_CTX_new();
  if (ctx == nullptr) openssl_failed("HMAC_CTX_new");
  if (HMAC_Init_ex(ctx, key_bytes(key), static_cast<int>(key.size()), EVP_sha256(), nullptr) != 1) {
    HMAC_CTX_free(ctx);
    openssl_failed("HMAC_Init_ex");
  }
  return ctx;
}

MacContext* copy_context(const MacContext* keyed) {
  MacContext* ctx = HMAC_CTX_new();
  if (ctx == nullptr || HMAC_CTX_copy(ctx, const_cast<MacContext*>(keyed)) != 1) {
    HMAC_CTX_free(ctx);
    openssl_failed("HMAC_CTX_copy");
  }
  return ctx;
}

void free_context(MacContext* ctx) { HMAC_CTX_free(ctx); }

// Back to the keyed state after a MAC: no key and no digest means "the same key again".
bool restart(MacContext* ctx) { return HMAC_Init_ex(ctx, nullptr, 0, nullptr, nullptr) == 1; }

bool update(MacContext* ctx, std::string_view data) {
  return HMAC_Update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

bool finish(MacContext* ctx, Sha256Digest& out) {
  unsigned int length = 0;
  return HMAC_Final(ctx, out.data(), &length) == 1 && length == out.size();
}

}  // namespace
}  // namespace privacycall::internal

#else

#include <openssl/core_names.h>
#include <openssl/params.h>

namespace privacycall::internal {
namespace {

const EVP_MD* sha256_algorithm() {
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, OSSL_DIGEST_NAME_SHA2_256, nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

using MacContext = EVP_MAC_CTX;

// Fetched once: a fetch looks the algorithm up in the provider store under a lock.
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const algorithm = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (algorithm == nullptr) openssl_failed("EVP_MAC_fetch(HMAC)");
  return algorithm;
}

MacContext* new_keyed_context(std::string_view key) {
  MacContext* ctx = EVP_MAC_CTX_new(hmac_algorithm());
  if (ctx == nullptr) openssl_failed("EVP_MAC_CTX_new");
  char digest[] = OSSL_DIGEST_NAME_SHA2_256;
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx, key_bytes(key), key.size(), params) != 1) {
    EVP_MAC_CTX_free(ctx);
    openssl_failed("EVP_MAC_init");
  }
  return ctx;
}

MacContext* copy_context(const MacContext* keyed) {
  MacContext* ctx = EVP_MAC_CTX_dup(keyed);
  if (ctx == nullptr) openssl_failed("EVP_MAC_CTX_dup");
  return ctx;
}

void free_context(MacContext* ctx) { EVP_MAC_CTX_free(ctx); }

// Back to the keyed state after a MAC: EVP_MAC_init() with no key reuses the key, but only
// from OpenSSL 3.0.3 on (before, it left HMAC's state as it was: OpenSSL issue 17811). On
// 3.0.0-3.0.2 the caller copies the keyed context instead, which costs several allocations.
bool restart(MacContext* ctx) {
  static const bool reinit_restarts = OpenSSL_version_num() >= 0x30000030L;
  return reinit_restarts && EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1;
}

bool update(MacContext* ctx, std::string_view data) {
  return EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

bool finish(MacContext* ctx, Sha256Digest& out) {
  std::size_t length = 0;
  return EVP_MAC_final(ctx, out.data(), &length, out.size()) == 1 && length == out.size();
}

}  // namespace
}  // namespace privacycall::internal

#endif

namespace privacycall::internal {
namespace {

struct ContextDeleter {
  void operator()(MacContext* ctx) const { free_context(ctx); }
};
using ContextHandle = std::unique_ptr<MacContext, ContextDeleter>;

// Both parts into a context, then its MAC.
Sha256Digest mac_of(MacContext* ctx, std::string_view part1, std::string_view part2) {
  Sha256Digest out;
  if (!update(ctx, part1) || !update(ctx, part2) || !finish(ctx, out)) openssl_failed("HMAC-SHA256");
  return out;
}

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Sha256Digest sha256(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), sha256_algorithm(), nullptr) != 1) openssl_failed("EVP_DigestInit_ex");
  // Fed part by part rather than through one EVP_Digest() call, so that the parts (one may be
  // the app secret) are not copied into a buffer of their own first.
  for (const std::string_view part : parts) {
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) openssl_failed("EVP_DigestUpdate");
  }
  Sha256Digest out;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &length) != 1 || length != out.size()) {
    openssl_failed("EVP_DigestFinal_ex");
  }
  return out;
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view part1, std::string_view part2) {
  const ContextHandle ctx(new_keyed_context(key));
  return mac_of(ctx.get(), part1, part2);
}

struct HmacSha256Key::Keyed {
  ContextHandle keyed;
  // Contexts of finished MACs, restarted for the next: cheaper than a copy of `keyed` per MAC
  // (several allocations), and one per thread signing at the same time is enough.
  std::mutex mutex;
  std::vector<ContextHandle> idle;
  static constexpr std::size_t kMaxIdle = 64;

  explicit Keyed(ContextHandle context) : keyed(std::move(context)) {}

  ContextHandle take() {
    ContextHandle ctx;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!idle.empty()) {
        ctx = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (ctx && restart(ctx.get())) return ctx;
    return ContextHandle(copy_context(keyed.get()));
  }

  void give_back(ContextHandle ctx) {
    std::lock_guard<std::mutex> lock(mutex);
    if (idle.size() < kMaxIdle) idle.push_back(std::move(ctx));
  }
};

HmacSha256Key::HmacSha256Key(std::string_view key)
    : keyed_(std::make_unique<Keyed>(ContextHandle(new_keyed_context(key)))) {}

HmacSha256Key::~HmacSha256Key() = default;

HmacSha256Key::HmacSha256Key(const HmacSha256Key& other)
    : keyed_(std::make_unique<Keyed>(ContextHandle(copy_context(other.keyed_->keyed.get())))) {}

HmacSha256Key& HmacSha256Key::operator=(const HmacSha256Key& other) {
  if (this != &other) *this = HmacSha256Key(other);
  return *this;
}

HmacSha256Key::HmacSha256Key(HmacSha256Key&&) noexcept = default;
HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&&) noexcept = default;

Sha256Digest HmacSha256Key::mac(std::string_view part1, std::string_view part2) const {
  // Each call has a context of its own, so calls from several threads share no state.
  ContextHandle ctx = keyed_->take();
  const Sha256Digest out = mac_of(ctx.get(), part1, part2);
  keyed_->give_back(std::move(ctx));
  return out;
}

}  // namespace privacycall::internal
