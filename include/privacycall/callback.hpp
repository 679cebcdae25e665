#ifndef PRIVACYCALL_CALLBACK_HPP
#define PRIVACYCALL_CALLBACK_HPP

/// @file
/// The two forms an asynchronous operation's Result is delivered in: a future, or a callback.

#include <privacycall/abi.hpp>
#include <privacycall/future.hpp>
#include <privacycall/result.hpp>

#include <functional>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The other form of every asynchronous operation: receives its Result exactly once. With
/// the default transport it runs on the transport's loop thread, so it must return quickly
/// and never wait on a Future; it may start further calls, which is the cheapest way to keep
/// many in flight (no thread switch per call). An invalid request is refused at once, on the
/// calling thread.
template <typename T>
using Callback = std::function<void(Result<T>)>;

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_CALLBACK_HPP
