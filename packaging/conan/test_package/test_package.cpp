// The package links and computes the platform's X-AKSK digest for the documented example.

#include <privacycall/signature.hpp>
#include <privacycall/version.hpp>

#include <iostream>

int main() {
  const auto digest = privacycall::compute_password_digest(
      privacycall::SignatureScheme::kAksk, "secret", "66C92B11FF8A425FB8D4CCFE0ED9ED1F", "2018-02-12T15:30:20Z");
  std::cout << "privacycall " << privacycall::kVersion << ": digest " << digest << "\n";
  return digest == "nLcsIwh4/dE7K56zsLQ/A4SG1mrtpkJFfOpnmMpyaCs=" ? 0 : 1;
}
