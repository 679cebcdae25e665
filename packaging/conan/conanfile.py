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

# Minimum versions, as in cmake/privacycallDependencies.cmake.
_CORE_REQUIRES = (
    "libcurl/[>=7.61 <9]",
    "openssl/[>=1.1.1 <4]",
    "nlohmann_json/[>=3.9 <4]",
)
_HTTPLIB_REQUIRE = "cpp-httplib/[>=0.11 <1]"


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
        "with_webhook_server": [True, False],
        "with_testing": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_webhook_server": True,
        "with_testing": True,
    }

    # CMake option for each recipe option that selects a library.
    _cmake_options = {
        "with_webhook_server": "PRIVACYCALL_WEBHOOK_SERVER",
        "with_testing": "PRIVACYCALL_TESTING",
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
        for reference in _CORE_REQUIRES:
            self.requires(reference)
        if self._needs_httplib:
            self.requires(_HTTPLIB_REQUIRE)

    @property
    def _needs_httplib(self):
        return bool(self.options.with_webhook_server) or bool(self.options.with_testing)

    def validate(self):
        check_min_cppstd(self, 17)
        if self.settings.os == "Windows" and self.options.shared:
            raise ConanInvalidConfiguration("privacycall does not export DLL symbols; build it static on Windows")

    def generate(self):
        toolchain = CMakeToolchain(self)
        for option in ("PRIVACYCALL_BUILD_TESTS", "PRIVACYCALL_BUILD_EXAMPLES", "PRIVACYCALL_BUILD_CLI",
                       "PRIVACYCALL_BUILD_BENCH"):
            toolchain.cache_variables[option] = False
        toolchain.cache_variables["PRIVACYCALL_INSTALL"] = True
        for recipe_option, cmake_option in self._cmake_options.items():
            toolchain.cache_variables[cmake_option] = bool(self.options.get_safe(recipe_option))
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

        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "privacycall::privacycall")
        core.set_property("pkg_config_name", "privacycall")
        core.libs = ["privacycall"]
        core.requires = ["libcurl::libcurl", "openssl::crypto", "nlohmann_json::nlohmann_json"]
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs = ["pthread"]

        optional_libraries = (
            ("with_testing", "testing", ["core", "cpp-httplib::cpp-httplib", "nlohmann_json::nlohmann_json"]),
            ("with_webhook_server", "webhook_server", ["core", "cpp-httplib::cpp-httplib"]),
        )
        for option, component, requires in optional_libraries:
            if not self.options.get_safe(option):
                continue
            info = self.cpp_info.components[component]
            info.set_property("cmake_target_name", f"privacycall::{component}")
            info.set_property("pkg_config_name", "privacycall-" + component.replace("_", "-"))
            info.libs = [f"privacycall_{component}"]
            info.requires = requires
