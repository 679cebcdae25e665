#ifndef PRIVACYCALL_CONNECTIONS_HPP
#define PRIVACYCALL_CONNECTIONS_HPP

/// @file
/// ClientConnections: one connection per service, what a Client is made of.

#include <privacycall/abi.hpp>
#include <memory>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

class AxbConnection;
class AxConnection;
class AxeConnection;
class AxybConnection;
class CallControlConnection;
class RecordingConnection;

/// The connections behind a Client's service objects. Client(options) makes the real ones
/// (Client::connections() returns them, to wrap one in a decorator); Client(connections) takes
/// any, such as privacycall::testing mocks, so that code written against Client can be tested
/// without a platform. A service a test does not use may stay empty: calling it is undefined.
struct ClientConnections {
  std::shared_ptr<AxbConnection> axb;                   ///< Behind Client::axb()
  std::shared_ptr<AxConnection> ax;                     ///< Behind Client::ax()
  std::shared_ptr<AxeConnection> axe;                   ///< Behind Client::axe()
  std::shared_ptr<AxybConnection> axyb;                 ///< Behind Client::axyb()
  std::shared_ptr<CallControlConnection> calls;         ///< Behind Client::calls()
  std::shared_ptr<RecordingConnection> recordings;      ///< Behind Client::recordings()
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_CONNECTIONS_HPP
