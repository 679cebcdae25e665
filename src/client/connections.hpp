#ifndef PRIVACYCALL_SRC_CLIENT_CONNECTIONS_HPP
#define PRIVACYCALL_SRC_CLIENT_CONNECTIONS_HPP

// The real connections: each runs its mode's operations through the client's ClientCore
// (signing, retries, transport, logging). Client makes them; each file of a mode defines its own.

#include <privacycall/ax_connection.hpp>
#include <privacycall/axb_connection.hpp>
#include <privacycall/axe_connection.hpp>
#include <privacycall/axyb_connection.hpp>
#include <privacycall/call_control_connection.hpp>
#include <privacycall/recording_connection.hpp>

#include <memory>

namespace privacycall::internal {

class ClientCore;

std::shared_ptr<AxbConnection> make_axb_connection(std::shared_ptr<const ClientCore> core);
std::shared_ptr<AxConnection> make_ax_connection(std::shared_ptr<const ClientCore> core);
std::shared_ptr<AxeConnection> make_axe_connection(std::shared_ptr<const ClientCore> core);
std::shared_ptr<AxybConnection> make_axyb_connection(std::shared_ptr<const ClientCore> core);
std::shared_ptr<CallControlConnection> make_call_control_connection(std::shared_ptr<const ClientCore> core);
std::shared_ptr<RecordingConnection> make_recording_connection(std::shared_ptr<const ClientCore> core);

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_CONNECTIONS_HPP
