#ifndef PRIVACYCALL_SRC_WEBHOOK_SERVER_ACCEPTED_SOCKETS_HPP
#define PRIVACYCALL_SRC_WEBHOOK_SERVER_ACCEPTED_SOCKETS_HPP

// The connections cpp-httplib accepted for a server, found among the process's descriptors
// (TCP, not listening, bound locally to the server's port). cpp-httplib 0.11.4 neither says
// which sockets it accepted nor lets a handler close its connection, and the server needs both:
// to end idle keep-alive waits at stop(), and to drop a connection whose request body it
// refused to read. Linux only; elsewhere both do nothing.

#include <cstdint>
#include <string>

namespace privacycall::webhook::internal {

/// Shuts down the reading side of every connection accepted on `port` that has no bytes
/// waiting. A worker waiting for the connection's next request then sees its end at once and
/// closes it; a reply still being written is unaffected.
void end_keep_alive_waits(std::uint16_t port);

/// Ends the connection accepted on `port` from `peer_address`:`peer_port`: FIN after what was
/// written, then what the client still sends is discarded for up to half a second so that it
/// can read the answer. Called on the connection's own worker after its reply was written, so
/// the descriptor cannot be closed and reused meanwhile; the worker then finds the connection
/// ended and closes it.
void end_connection(std::uint16_t port, const std::string& peer_address, int peer_port);

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_SERVER_ACCEPTED_SOCKETS_HPP
