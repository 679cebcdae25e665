#include <privacycall/client.hpp>

#include "client/client_core.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Client::Client(ClientOptions options)
    : core_(internal::ClientCore::create(std::move(options)).value()) {}

Result<Client> Client::create(ClientOptions options) {
  auto core = internal::ClientCore::create(std::move(options));
  if (!core) return std::move(core).error();
  return Client(std::move(core).value());
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
