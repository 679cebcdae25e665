#ifndef PRIVACYCALL_CLI_STOP_SIGNALS_HPP
#define PRIVACYCALL_CLI_STOP_SIGNALS_HPP

// SIGINT and SIGTERM, taken by one thread that waits for them. A signal sent to the process
// goes to any thread that does not block it, and the default action ends the process at once:
// each thread must block them, so they are blocked before the first thread starts (threads
// inherit the mask).

#include <csignal>

namespace privacycall::cli {

class StopSignals {
 public:
  /// Blocks SIGINT and SIGTERM in this thread and in every thread it starts from now on.
  StopSignals();
  /// Waits for one of them; returns its number.
  int wait();

 private:
  sigset_t signals_;
};

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_STOP_SIGNALS_HPP
