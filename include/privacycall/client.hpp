#ifndef PRIVACYCALL_CLIENT_HPP
#define PRIVACYCALL_CLIENT_HPP

/// @file
/// Client: the entry point to the platform's REST API.

#include <privacycall/async.hpp>
#include <privacycall/axb.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

#include <memory>

namespace privacycall {

namespace internal {
class ClientCore;
}

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

  AxbClient axb() const { return AxbClient(core_); }

  /// The same operations returning futures, many in flight from one thread.
  AsyncClient async() const { return AsyncClient(core_); }

 private:
  explicit Client(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace privacycall

#endif  // PRIVACYCALL_CLIENT_HPP
