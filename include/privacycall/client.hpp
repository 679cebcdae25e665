#ifndef PRIVACYCALL_CLIENT_HPP
#define PRIVACYCALL_CLIENT_HPP

/// @file
/// Client: the entry point to the platform's REST API.

#include <privacycall/abi.hpp>
#include <privacycall/async.hpp>
#include <privacycall/ax.hpp>
#include <privacycall/axb.hpp>
#include <privacycall/axe.hpp>
#include <privacycall/axyb.hpp>
#include <privacycall/call_control.hpp>
#include <privacycall/connections.hpp>
#include <privacycall/options.hpp>
#include <privacycall/recording.hpp>
#include <privacycall/result.hpp>

#include <memory>

namespace privacycall {

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A connection to one PrivateNumber app. Cheap to copy (copies share connections) and safe
/// to use from many threads. Each binding mode has a small service object:
///
///     privacycall::Client client(options);
///     auto bound = client.axb().bind({caller, callee});
class Client {
 public:
  /// Throws privacycall::Exception (category validation) when base_url, app_key or app_secret
  /// is empty or base_url is not an http(s) URL. Use create() to get a Result instead.
  explicit Client(ClientOptions options);

  /// Same as the constructor, reporting bad options as a Result.
  static Result<Client> create(ClientOptions options);

  /// A client whose service objects call @p connections instead of the platform: mocks from
  /// <privacycall/testing/mock_connections.hpp> in unit tests, or decorators wrapping the real
  /// connections of another Client (see connections()).
  explicit Client(ClientConnections connections) : connections_(std::move(connections)) {}

  /// AXB mode: A and B call each other through X.
  AxbClient axb() const { return AxbClient(connections_.axb); }
  /// AX mode: X stands for A; temporary callees for A's outbound calls.
  AxClient ax() const { return AxClient(connections_.ax); }
  /// AXE mode: X plus an extension stands for A.
  AxeClient axe() const { return AxeClient(connections_.axe); }
  /// AXYB mode: A behind X, B behind Y.
  AxybClient axyb() const { return AxybClient(connections_.axyb); }
  /// Ending calls in progress, in every mode.
  CallControlClient calls() const { return CallControlClient(connections_.calls); }
  /// Recording download URLs and streaming downloads, in every mode.
  RecordingClient recordings() const { return RecordingClient(connections_.recordings); }

  /// The same operations returning futures, many in flight from one thread.
  AsyncClient async() const { return AsyncClient(connections_); }

  /// The connections the service objects call.
  const ClientConnections& connections() const { return connections_; }

 private:
  ClientConnections connections_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_CLIENT_HPP
