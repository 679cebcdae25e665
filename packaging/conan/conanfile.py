# Conan 2 recipe for privacycall, building this checkout:
#   conan create packaging/conan --build=missing [-o "&:with_testing=False"]
# The options mirror the CMake options (tests/packaging/test_recipes.py keeps them in step).
import os

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, rmdir

required_conan_version = ">=2.0"

# Minimum versions, as in cmake/privacycallDependencies.cmake; an upper bound only where a newer
# release is known to break the SDK (none is).
_OPENSSL_REQUIRE = "openssl/[>=1.1.1]"
_NLOHMANN_JSON_REQUIRE = "nlohmann_json/[>=3.11]"
_CURL_REQUIRE = "libcurl/[>=7.61]"
_HTTPLIB_REQUIRE = "cpp-httplib/[>=0.11]"
_HIREDIS_REQUIRE = "hiredis/[>=0.14]"
_GTEST_REQUIRE = "gtest/[>=1.10]"


class PrivacycallConan(ConanFile):
    name = "privacycall"
    version = "0.1.0"
    description = "C++17 SDK for Huawei Cloud PrivateNumber (number masking)"
    license = "Apache-2.0"
    homepage = "https://github.com/privacycall/privacycall"
    url = "https://github.com/privacycall/privacycall"
    topics = ("huawei-cloud", "privatenumber", "number-masking", "telephony", "webhooks")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "with_client": [True, False],
        "with_webhook_server": [True, False],
        "with_testing": [True, False],
        "with_redis": [True, False],
        "with_mocks": [True, False],
    }
    # with_redis and with_mocks are off by default: each is for some users only and pulls a
    # dependency no other library needs (hiredis; GoogleTest into the consumer's own tests).
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_client": True,
        "with_webhook_server": True,
        "with_testing": True,
        "with_redis": False,
        "with_mocks": False,
    }

    # CMake option for each recipe option that selects a library.
    _cmake_options = {
        "with_client": "PRIVACYCALL_CLIENT",
        "with_webhook_server": "PRIVACYCALL_WEBHOOK_SERVER",
        "with_testing": "PRIVACYCALL_TESTING",
        "with_mocks": "PRIVACYCALL_MOCKS",
    }
    # The same for PRIVACYCALL_REDIS, a choice of AUTO, ON and OFF: the package says ON or OFF,
    # never AUTO, so that its contents do not depend on what else is installed.
    _cmake_choices = {
        "with_redis": "PRIVACYCALL_REDIS",
    }

    def export_sources(self):
        root = os.path.join(self.recipe_folder, "..", "..")
        for pattern in ("CMakeLists.txt", "LICENSE", "cmake/*", "include/*", "src/*"):
            copy(self, pattern, root, self.export_sources_folder)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self)
        # This recipe lives two levels below the project root.
        self.folders.root = os.path.join("..", "..")

    def requirements(self):
        self.requires(_OPENSSL_REQUIRE)
        self.requires(_NLOHMANN_JSON_REQUIRE)
        if self.options.with_client:
            self.requires(_CURL_REQUIRE)
        if self.options.with_webhook_server or self.options.with_testing:
            self.requires(_HTTPLIB_REQUIRE)
        if self.options.with_redis:
            self.requires(_HIREDIS_REQUIRE)
        if self.options.with_mocks:
            # The mocks' header includes gMock's: the consumer compiles and links against it.
            self.requires(_GTEST_REQUIRE, transitive_headers=True, transitive_libs=True)

    def validate(self):
        check_min_cppstd(self, 17)
        if self.settings.os == "Windows":
            raise ConanInvalidConfiguration(
                "privacycall does not support Windows: the webhook's delivery spool is POSIX-only "
                "(file locks, fsync of directories)")
        if self.options.with_testing and not self.options.with_client:
            raise ConanInvalidConfiguration("privacycall:with_testing needs with_client (the FakePlatform drives a Client)")
        if self.options.with_mocks and not self.options.with_client:
            raise ConanInvalidConfiguration("privacycall:with_mocks needs with_client (the mocks are the client's connections)")

    def generate(self):
        toolchain = CMakeToolchain(self)
        for option in ("PRIVACYCALL_BUILD_TESTS", "PRIVACYCALL_BUILD_EXAMPLES", "PRIVACYCALL_BUILD_CLI",
                       "PRIVACYCALL_BUILD_BENCH"):
            toolchain.cache_variables[option] = False
        toolchain.cache_variables["PRIVACYCALL_INSTALL"] = True
        for recipe_option, cmake_option in self._cmake_options.items():
            toolchain.cache_variables[cmake_option] = bool(self.options.get_safe(recipe_option))
        for recipe_option, cmake_option in self._cmake_choices.items():
            toolchain.cache_variables[cmake_option] = "ON" if self.options.get_safe(recipe_option) else "OFF"
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        CMake(self).install()
        # Conan generates the consumers' CMake and pkg-config files from package_info().
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "privacycall")
        # The whole package's own target and module would take the umbrella's names
        # (privacycall::privacycall, privacycall.pc); the installed SDK has no such aggregate.
        self.cpp_info.set_property("cmake_target_name", "privacycall::all_do_not_use")
        self.cpp_info.set_property("pkg_config_name", "privacycall_all_do_not_use")
        system_libs = ["pthread"] if self.settings.os in ("Linux", "FreeBSD") else []

        # One component per library, as the CMake package and the pkg-config modules have them.
        def library(component, requires):
            info = self.cpp_info.components[component]
            info.set_property("cmake_target_name", f"privacycall::{component}")
            info.set_property("pkg_config_name", "privacycall-" + component.replace("_", "-"))
            info.libs = [f"privacycall_{component}"]
            info.requires = requires
            return info

        library("common", ["openssl::crypto", "nlohmann_json::nlohmann_json"]).system_libs = system_libs
        library("webhook", ["common", "openssl::crypto", "nlohmann_json::nlohmann_json"])
        if self.options.with_client:
            library("client", ["common", "libcurl::libcurl", "nlohmann_json::nlohmann_json"])
            umbrella = self.cpp_info.components["privacycall"]
            umbrella.set_property("cmake_target_name", "privacycall::privacycall")
            umbrella.set_property("pkg_config_name", "privacycall")
            umbrella.requires = ["client", "webhook"]
        if self.options.with_webhook_server:
            library("webhook_server", ["webhook", "cpp-httplib::cpp-httplib"])
        if self.options.with_testing:
            library("testing", ["client", "webhook", "cpp-httplib::cpp-httplib", "nlohmann_json::nlohmann_json"])
        if self.options.with_redis:
            library("webhook_redis", ["webhook", "hiredis::hiredis", "openssl::crypto"])
        if self.options.with_mocks:
            mocks = library("mocks", ["client", "gtest::gmock"])
            mocks.libs = []  # header-only
