// EXPECT(condition): the consumer programs' only assertion. Failures are counted, printed with
// their line, and turned into the exit status by consumer_result().
#ifndef PRIVACYCALL_CONSUMER_EXPECT_HPP
#define PRIVACYCALL_CONSUMER_EXPECT_HPP

#include <iostream>

namespace consumer {

inline int& failures() {
  static int count = 0;
  return count;
}

inline void expect(bool ok, const char* what, const char* file, int line) {
  if (ok) return;
  ++failures();
  std::cerr << file << ":" << line << ": expectation failed: " << what << "\n";
}

inline int result(const char* program) {
  if (failures() == 0) {
    std::cout << program << ": ok\n";
    return 0;
  }
  std::cerr << program << ": " << failures() << " expectation(s) failed\n";
  return 1;
}

}  // namespace consumer

#define EXPECT(condition) ::consumer::expect(static_cast<bool>(condition), #condition, __FILE__, __LINE__)

#endif  // PRIVACYCALL_CONSUMER_EXPECT_HPP
