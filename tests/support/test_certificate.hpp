// A self-signed certificate for loopback HTTPS tests, made once per test process (so it never
// expires in a checkout): P-256, valid from an hour ago for ten years, for 127.0.0.1, ::1 and
// localhost, so that clients verify the server against it by address as well as by chain.
#ifndef PRIVACYCALL_TESTS_TEST_CERTIFICATE_HPP
#define PRIVACYCALL_TESTS_TEST_CERTIFICATE_HPP

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include <unistd.h>

namespace test_support {

struct TestCertificate {
  std::string certificate_file;  ///< PEM; also the CA file a client verifies against
  std::string private_key_file;  ///< PEM, unencrypted
};

namespace detail {

inline void write_pem(const std::string& path, const std::function<int(FILE*)>& write) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) throw std::runtime_error("cannot write " + path);
  const int written = write(file);
  std::fclose(file);
  if (written != 1) throw std::runtime_error("cannot write PEM to " + path);
}

inline TestCertificate make_test_certificate(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  TestCertificate files{(dir / "cert.pem").string(), (dir / "key.pem").string()};
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) throw std::runtime_error("cannot make a test key");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair<int, const char*>{NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost"},
                                   {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    if (extension == nullptr) throw std::runtime_error("cannot make a certificate extension");
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }
  if (X509_sign(cert, key, EVP_sha256()) <= 0) throw std::runtime_error("cannot sign the test certificate");
  write_pem(files.certificate_file, [cert](FILE* f) { return PEM_write_X509(f, cert); });
  write_pem(files.private_key_file,
            [key](FILE* f) { return PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(cert);
  EVP_PKEY_free(key);
  return files;
}

// The files, removed when the process exits.
struct CertificateDirectory {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("privacycall-tls-" + std::to_string(::getpid()));
  TestCertificate files = make_test_certificate(dir);
  ~CertificateDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace detail

/// The process's certificate, made on first use.
inline const TestCertificate& test_certificate() {
  static const detail::CertificateDirectory certificate;
  return certificate.files;
}

}  // namespace test_support

#endif
