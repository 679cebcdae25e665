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
#include <privacycall/options.hpp>
#include <privacycall/recording.hpp>
#include <privacycall/result.hpp>

#include <memory>

namespace privacycall {

namespace internal {
class ClientCore;
}
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

  /// AXB mode: A and B call each other through X.
  AxbClient axb() const { return AxbClient(core_); }
  /// AX mode: X stands for A; temporary callees for A's outbound calls.
  AxClient ax() const { return AxClient(core_); }
  /// AXE mode: X plus an extension stands for A.
  AxeClient axe() const { return AxeClient(core_); }
  /// AXYB mode: A behind X, B behind Y.
  AxybClient axyb() const { return AxybClient(core_); }
  /// Ending calls in progress, in every mode.
  CallControlClient calls() const { return CallControlClient(core_); }
  /// Recording download URLs and streaming downloads, in every mode.
  RecordingClient recordings() const { return RecordingClient(core_); }

  /// The same operations returning futures, many in flight from one thread.
  AsyncClient async() const { return AsyncClient(core_); }

 private:
  explicit Client(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}
  std::shared_ptr<const internal::ClientCore> core_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_CLIENT_HPP
