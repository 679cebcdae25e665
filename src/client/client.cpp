#include <privacycall/client.hpp>

#include "client/client_core.hpp"
#include "client/connections.hpp"

namespace privacycall {
namespace {

// Every service's real connection, sharing one core (options, transport, signer).
ClientConnections real_connections(const std::shared_ptr<const internal::ClientCore>& core) {
  ClientConnections connections;
  connections.axb = internal::make_axb_connection(core);
  connections.ax = internal::make_ax_connection(core);
  connections.axe = internal::make_axe_connection(core);
  connections.axyb = internal::make_axyb_connection(core);
  connections.calls = internal::make_call_control_connection(core);
  connections.recordings = internal::make_recording_connection(core);
  return connections;
}

}  // namespace

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Client::Client(ClientOptions options)
    : connections_(real_connections(internal::ClientCore::create(std::move(options)).value())) {}

Result<Client> Client::create(ClientOptions options) {
  auto core = internal::ClientCore::create(std::move(options));
  if (!core) return std::move(core).error();
  return Client(real_connections(*core));
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
