#include <privacycall/webhook/nonce_store.hpp>

#include <chrono>
#include <string>

#include "support/catch.hpp"

using privacycall::webhook::MemoryNonceStore;
using privacycall::webhook::NonceSighting;
using privacycall::webhook::NonceUse;

namespace {

const auto kNow = std::chrono::system_clock::now();

NonceSighting remember(MemoryNonceStore& store, const std::string& key, const std::string& digest,
                       std::chrono::seconds expires_in = std::chrono::minutes(5)) {
  const auto sighting = store.remember(NonceUse{key, digest, kNow + expires_in}, kNow);
  REQUIRE(sighting);
  return *sighting;
}

}  // namespace

TEST_CASE("nonce store: a nonce again is a re-push with the same body, a replay with another") {
  MemoryNonceStore store(100);
  CHECK(remember(store, "app\nn1", "digest-1") == NonceSighting::kNew);
  CHECK(remember(store, "app\nn1", "digest-1") == NonceSighting::kSameBody);
  CHECK(remember(store, "app\nn1", "digest-2") == NonceSighting::kOtherBody);
  CHECK(remember(store, "other-app\nn1", "digest-1") == NonceSighting::kNew);
  CHECK(remember(store, "app\nn2", "") == NonceSighting::kNew);
  CHECK(remember(store, "app\nn2", "") == NonceSighting::kOtherBody);  // no body: every reuse is a replay
  CHECK(store.size() == 3);
}

TEST_CASE("nonce store: keys and digests longer than the store keeps inline are compared whole") {
  MemoryNonceStore store(100);
  const std::string key = "an-app-key-of-64-characters-" + std::string(36, 'k') + "\n" + std::string(128, 'n');
  std::string other_key = key;
  other_key.back() = 'm';  // differs only in its last byte
  const std::string digest(64, 'd');
  std::string other_digest = digest;
  other_digest.back() = 'e';
  CHECK(remember(store, key, digest) == NonceSighting::kNew);
  CHECK(remember(store, other_key, digest) == NonceSighting::kNew);
  CHECK(remember(store, key, digest) == NonceSighting::kSameBody);
  CHECK(remember(store, key, other_digest) == NonceSighting::kOtherBody);
}

TEST_CASE("nonce store: when full, the nonce closest to expiry is forgotten first") {
  MemoryNonceStore store(3);
  CHECK(remember(store, "late", "d", std::chrono::minutes(5)) == NonceSighting::kNew);
  CHECK(remember(store, "soon", "d", std::chrono::minutes(1)) == NonceSighting::kNew);
  CHECK(remember(store, "middle", "d", std::chrono::minutes(3)) == NonceSighting::kNew);
  CHECK(remember(store, "new", "d") == NonceSighting::kNew);  // full: "soon" goes
  CHECK(store.size() == 3);
  CHECK(remember(store, "late", "d") == NonceSighting::kSameBody);
  CHECK(remember(store, "middle", "d") == NonceSighting::kSameBody);
  CHECK(remember(store, "soon", "d") == NonceSighting::kNew);  // forgotten; "middle" goes now
  CHECK(remember(store, "middle", "d") == NonceSighting::kNew);
}

TEST_CASE("nonce store: nonces past their expiry are forgotten") {
  MemoryNonceStore store(100);
  const auto expires = kNow + std::chrono::minutes(5);
  REQUIRE(store.remember(NonceUse{"app\nn", "d", expires}, kNow));
  CHECK(*store.remember(NonceUse{"app\nn", "d", expires}, expires) == NonceSighting::kSameBody);
  CHECK(*store.remember(NonceUse{"app\nn", "d", expires}, expires + std::chrono::seconds(1)) ==
        NonceSighting::kNew);
}
