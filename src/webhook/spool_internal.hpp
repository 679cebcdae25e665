#ifndef PRIVACYCALL_SRC_WEBHOOK_SPOOL_INTERNAL_HPP
#define PRIVACYCALL_SRC_WEBHOOK_SPOOL_INTERNAL_HPP

#include <functional>

#include "common/internal_export.hpp"

namespace privacycall::webhook::internal {

/// Test seam. When set, Spool::append calls `hook` without the spool's lock, after its record
/// is on disk and before it is queued for delivery: where an appender whose record another
/// appender's fdatasync covered waits to get the lock back. Set it only while no Spool is in
/// use; an empty function removes it.
PRIVACYCALL_INTERNAL_EXPORT void set_spool_queue_hook_for_testing(std::function<void()> hook);

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_SPOOL_INTERNAL_HPP
