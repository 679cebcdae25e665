// Consumer of privacycall::webhook_server (built only when the SDK has that library): its
// header compiles on its own and its symbols resolve at link time.

#if __has_include(<privacycall/webhook/server.hpp>)
#include <privacycall/webhook/server.hpp>
#else
#error "privacycall::webhook_server is installed without <privacycall/webhook/server.hpp>"
#endif

#include "expect.hpp"

int main() {
  using privacycall::webhook::WebhookServer;
  // A volatile pointer keeps the reference to the library's symbol through optimisation.
  static void (WebhookServer::*volatile stop)() = &WebhookServer::stop;
  EXPECT(stop != nullptr);
  const privacycall::webhook::WebhookServerOptions options;
  EXPECT(options.port == 0);
  return consumer::result("webhook_server_consumer");
}
