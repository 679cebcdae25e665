#!/usr/bin/env python3
"""The vcpkg and Conan recipes must describe the CMake project they package.

Neither registry is reachable from CI, so this checks their metadata against the CMake sources
instead: name, version and license; the dependencies with their minimum versions, read from
cmake/privacycallDependencies.cmake (the one place that holds the numbers), and no upper bound
unless KNOWN_BREAKING names the release that breaks; the optional libraries, mapped to the real
`option(PRIVACYCALL_...)` lines with the same defaults and the same requirements between them;
the exported targets and pkg-config modules, each with the links of its CMake target. The Conan
recipe is executed against a stand-in of the `conan` package, so its requirements(), generate()
and package_info() are checked as they behave, for every option combination.

usage: test_recipes.py [SOURCE_DIR]   (standard library only)
"""

import importlib.util
import itertools
import json
import re
import sys
import types
import unittest
from pathlib import Path

ROOT = Path(sys.argv.pop(1)).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]

# The one place that names each dependency in every ecosystem. A dependency that CMake finds but
# that is missing here fails the test: add it here and to the recipes.
# CMake package -> (vcpkg port, Conan package)
DEPENDENCIES = {
    "CURL": ("curl", "libcurl"),
    "OpenSSL": ("openssl", "openssl"),
    "nlohmann_json": ("nlohmann-json", "nlohmann_json"),
    "httplib": ("cpp-httplib", "cpp-httplib"),
    "GTest": ("gtest", "gtest"),
    "hiredis": ("hiredis", "hiredis"),
}
# Found by CMake but provided by the system or the toolchain, never by a package manager.
SYSTEM_DEPENDENCIES = {"Threads", "PkgConfig"}
# Upper bounds the recipes may state: dependency -> first release known to break the SDK. Empty:
# every newer release tried works (cpp-httplib up to 0.53.1).
KNOWN_BREAKING = {}
# CMake option that builds an optional library -> (vcpkg feature, Conan option, EXPORT_NAME)
LIBRARY_OPTIONS = {
    "PRIVACYCALL_CLIENT": ("client", "with_client", "client"),
    "PRIVACYCALL_TESTING": ("testing", "with_testing", "testing"),
    "PRIVACYCALL_WEBHOOK_SERVER": ("webhook-server", "with_webhook_server", "webhook_server"),
    "PRIVACYCALL_REDIS": ("redis", "with_redis", "webhook_redis"),
    "PRIVACYCALL_MOCKS": ("mocks", "with_mocks", "mocks"),
}
# Options that only matter to a developer's build: a package turns them off, installs on.
BUILD_TREE_OPTIONS = {"PRIVACYCALL_BUILD_TESTS", "PRIVACYCALL_BUILD_EXAMPLES", "PRIVACYCALL_BUILD_CLI",
                      "PRIVACYCALL_BUILD_BENCH"}


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def strip_cmake_comments(text):
    return re.sub(r"#[^\n]*", "", text)


class CMakeProject:
    """What the CMake sources declare."""

    def __init__(self):
        top = strip_cmake_comments(read("CMakeLists.txt"))
        project = re.search(r"^project\(\s*(\w+)(.*?)\)\s*$", top, re.S | re.M)
        self.name = project.group(1)
        self.version = re.search(r"\bVERSION\s+([0-9.]+)", project.group(2)).group(1)
        self.homepage = re.search(r'HOMEPAGE_URL\s+"([^"]+)"', project.group(2)).group(1)

        # option(PRIVACYCALL_X "doc" default) -> default: True, False or "top-level"; a choice,
        # set(PRIVACYCALL_X DEFAULT CACHE STRING "doc"), -> its default ("AUTO").
        self.options = {}
        for name, default in re.findall(r'option\(\s*(PRIVACYCALL_\w+)\s+"[^"]*"\s+([^)\s]+)\s*\)', top):
            self.options[name] = {"ON": True, "OFF": False}.get(default, "top-level")
        self.choices = set()
        for name, default in re.findall(r'set\(\s*(PRIVACYCALL_\w+)\s+(\w+)\s+CACHE\s+STRING\b', top):
            self.options[name] = default
            self.choices.add(name)

        # Options that need another one on: `if(NOT PRIVACYCALL_X)` around a loop over them that
        # fails the configuration. option -> the options it needs.
        self.needs = {}
        for needed, options in re.findall(
                r"if\(\s*NOT\s+(PRIVACYCALL_\w+)\s*\)\s*foreach\(\s*\w+\s+([^)]*)\).*?FATAL_ERROR", top, re.S):
            for option in options.split():
                self.needs.setdefault(option, set()).add(needed)

        # Minimum versions and which find_package calls sit under which if().
        deps = strip_cmake_comments(read("cmake/privacycallDependencies.cmake"))
        minimums = dict(re.findall(r"set\(\s*PRIVACYCALL_(\w+)_MIN_VERSION\s+([0-9.]+)\s*\)", deps))
        self.dependencies = {}  # CMake package -> (minimum version, options that need it or None)
        conditions = []  # the options each enclosing if() names
        for line in deps.splitlines():
            line = line.strip()
            if line.startswith("if("):
                conditions.append(set(re.findall(r"PRIVACYCALL_\w+", line)))
            elif line.startswith("endif("):
                conditions.pop()
            found = re.match(r"find_package\(\s*(\w+)\s*(\$\{PRIVACYCALL_(\w+)_MIN_VERSION\})?", line)
            # include(privacycallFindHiredis): the project's own search for a package (hiredis).
            finder = re.match(r"include\(\s*privacycallFind(\w+)\s*\)", line)
            if found:
                package, variable = found.group(1), found.group(3)
            elif finder:
                package, variable = finder.group(1).lower(), finder.group(1).upper()
            else:
                continue
            minimum = minimums.get(variable) if variable else None
            condition = set().union(*conditions)
            self.dependencies[package] = (minimum, frozenset(condition) if condition else None)

        self.read_libraries(strip_cmake_comments(read("src/CMakeLists.txt")))

        license_text = read("LICENSE")
        self.license = "Apache-2.0" if re.search(r"Apache License\s+Version 2\.0", license_text) else None

    def read_libraries(self, src):
        """The libraries of src/CMakeLists.txt: per EXPORT_NAME its target, whether it is
        header-only, the components and the third-party packages (namespaces of imported
        targets) it links; and per option the libraries built under it."""
        self.libraries = {}  # export name -> {"target", "header_only", "components", "packages"}
        # (condition, text): the top-level if() blocks, and the rest with the empty condition.
        block = re.compile(r"^if\((.*?)\)\s*$(.*?)^endif\(\)", re.S | re.M)
        blocks = block.findall(src) + [("", block.sub("", src))]
        built_under = {}  # target -> condition
        for condition, text in blocks:
            for target, export, args in re.findall(r"privacycall_add_library\(\s*(\w+)\s+(\w+)([^)]*)\)", text):
                built_under.setdefault(target, condition)
                self.libraries.setdefault(export, {"target": target, "header_only": False, "links": args.split()})
            for target in re.findall(r"add_library\(\s*(\w+)\s+INTERFACE\s*\)", text):
                export = re.search(r"set_target_properties\(\s*%s\b[^)]*EXPORT_NAME\s+(\w+)" % target, text).group(1)
                links = re.search(r"target_link_libraries\(\s*%s\s+INTERFACE([^)]*)\)" % target, text).group(1)
                built_under.setdefault(target, condition)
                self.libraries.setdefault(export, {"target": target, "header_only": True, "links": links.split()})
        targets = {library["target"]: export for export, library in self.libraries.items()}
        for library in self.libraries.values():
            links = library.pop("links")
            library["components"] = {targets[link] for link in links if link in targets}
            library["packages"] = {link.split("::")[0] for link in links if "::" in link} - SYSTEM_DEPENDENCIES

        # Optional libraries: the options in their if(). `TARGET privacycall_y` in the condition
        # needs y's option; `TARGET Pkg::x`: built only when the package is found.
        self.library_options = {}  # option -> export names
        self.built_when_found = {name for name, default in self.options.items() if default == "AUTO"}
        for target, condition in built_under.items():
            if not condition:
                continue
            for option in options_in(condition):
                self.library_options.setdefault(option, set()).add(targets[target])
                for needed in re.findall(r"\bTARGET\s+(privacycall_\w+)", condition):
                    self.needs.setdefault(option, set()).update(options_in(built_under[needed]))
                if re.search(r"\bTARGET\s+\w+::", condition):
                    self.built_when_found.add(option)
        self.export_names = set(self.libraries)

    def packaged_dependencies(self):
        return {name: dep for name, dep in self.dependencies.items() if name not in SYSTEM_DEPENDENCIES}

    def core_dependencies(self):
        return {name for name, (_, condition) in self.packaged_dependencies().items() if condition is None}

    def dependencies_of(self, option):
        return {name for name, (_, condition) in self.packaged_dependencies().items()
                if condition is not None and option in condition}

    def default_on(self, option):
        return self.options[option] is True

    def packaged_by_default(self, option):
        """A package's default: the CMake default, except that a library CMake builds only when
        its dependency is found (AUTO, or a `TARGET Pkg::x` condition) is off, as a package's
        contents must not depend on what else is installed and such a library pulls a
        dependency that only some users want."""
        return self.default_on(option) and option not in self.built_when_found


def options_in(condition):
    """The options an if() condition names; PRIVACYCALL_X_ENABLED is what
    privacycallDependencies.cmake made of the choice PRIVACYCALL_X."""
    return {re.sub(r"_ENABLED$", "", o) for o in re.findall(r"\bPRIVACYCALL_\w+", condition)}


def dependency_name(spec):
    return spec if isinstance(spec, str) else spec["name"]


def version_key(version):
    """'7.61' -> (7, 61, 0): vcpkg's semver ports want three parts, so '7.61.0' states 7.61."""
    parts = [int(p) for p in version.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


# ---- a stand-in for the parts of the `conan` package the recipes use ---------------------------

class _Options:
    def __init__(self, values):
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self._values[name] = value

    def __delattr__(self, name):
        del self._values[name]

    def get_safe(self, name, default=None):
        return self._values.get(name, default)

    def rm_safe(self, name):
        self._values.pop(name, None)


class _Component:
    def __init__(self):
        self.properties, self.libs, self.requires, self.system_libs = {}, [], [], []

    def set_property(self, name, value):
        self.properties[name] = value


class _Components(dict):
    def __missing__(self, name):
        self[name] = _Component()
        return self[name]


class _CppInfo(_Component):
    def __init__(self):
        super().__init__()
        self.components = _Components()


class _ConanFile:
    def __init__(self, options, os_name="Linux"):
        self.options = _Options(options)
        self.settings = types.SimpleNamespace(os=os_name, arch="x86_64", compiler="gcc", build_type="Release")
        self.cpp_info = _CppInfo()
        self.required = []
        self.generated = {}
        self.tested_reference_str = "privacycall/0.1.0"

    def requires(self, reference, **_):
        self.required.append(reference)


class _Toolchain:
    def __init__(self, conanfile):
        self.conanfile, self.cache_variables, self.variables = conanfile, {}, {}

    def generate(self):
        self.conanfile.generated = dict(self.cache_variables, **self.variables)


def _install_conan_stand_in():
    def module(name, **members):
        mod = types.ModuleType(name)
        mod.__dict__.update(members)
        sys.modules[name] = mod
        return mod

    noop = lambda *args, **kwargs: None  # noqa: E731
    module("conan", ConanFile=_ConanFile)
    module("conan.errors", ConanInvalidConfiguration=type("ConanInvalidConfiguration", (Exception,), {}))
    module("conan.tools")
    module("conan.tools.build", check_min_cppstd=noop, can_run=lambda conanfile: True)
    module("conan.tools.cmake", CMake=lambda conanfile: types.SimpleNamespace(
        configure=noop, build=noop, install=noop), CMakeDeps=lambda conanfile: types.SimpleNamespace(
        generate=noop), CMakeToolchain=_Toolchain, cmake_layout=noop)
    module("conan.tools.files", copy=noop, rmdir=noop)


def load_recipe(path):
    _install_conan_stand_in()
    spec = importlib.util.spec_from_file_location("recipe_" + path.parent.name, path)
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    classes = [value for value in vars(recipe).values()
               if isinstance(value, type) and issubclass(value, _ConanFile) and value is not _ConanFile]
    assert len(classes) == 1, f"{path}: expected one ConanFile class"
    return classes[0]


def make_conanfile(recipe_class, options, os_name="Linux"):
    conanfile = recipe_class.__new__(recipe_class)
    _ConanFile.__init__(conanfile, options, os_name)
    return conanfile


def parse_requirement(reference):
    """'libcurl/[>=7.61]' -> ('libcurl', '7.61'); an upper bound only as KNOWN_BREAKING has it."""
    match = re.fullmatch(r"([\w.+-]+)/\[>=([0-9.]+)(?:\s+<([0-9.]+))?\]", reference)
    assert match, f"requirement {reference!r} is not name/[>=MIN]"
    name, minimum, bound = match.groups()
    known = {DEPENDENCIES[p][1]: v for p, v in KNOWN_BREAKING.items()}
    assert bound == known.get(name), f"{reference}: upper bound {bound}, known to break: {known.get(name)}"
    return name, minimum


# ---- the tests ----------------------------------------------------------------------------------

PROJECT = CMakeProject()


class CMakeProjectIsUnderstood(unittest.TestCase):
    """Guards the parsing itself, so that a changed CMake file cannot make the checks vacuous."""

    def test_project_and_options_are_parsed(self):
        self.assertEqual(PROJECT.name, "privacycall")
        self.assertRegex(PROJECT.version, r"^\d+\.\d+\.\d+$")
        self.assertIn("PRIVACYCALL_INSTALL", PROJECT.options)
        self.assertIn("PRIVACYCALL_TESTING", PROJECT.library_options)
        self.assertIn("PRIVACYCALL_CLIENT", PROJECT.library_options)
        self.assertEqual(PROJECT.needs.get("PRIVACYCALL_TESTING"), {"PRIVACYCALL_CLIENT"})
        self.assertEqual(PROJECT.needs.get("PRIVACYCALL_BUILD_TESTS"), {"PRIVACYCALL_CLIENT"})
        self.assertEqual(PROJECT.needs.get("PRIVACYCALL_MOCKS"), {"PRIVACYCALL_CLIENT"})
        self.assertEqual(PROJECT.options.get("PRIVACYCALL_REDIS"), "AUTO")
        self.assertEqual(PROJECT.choices, {"PRIVACYCALL_REDIS"})
        self.assertEqual(PROJECT.built_when_found, {"PRIVACYCALL_REDIS", "PRIVACYCALL_MOCKS"})
        self.assertEqual(PROJECT.license, "Apache-2.0")

    def test_libraries_are_parsed(self):
        self.assertEqual(PROJECT.library_options.get("PRIVACYCALL_CLIENT"), {"client", "privacycall"})
        self.assertEqual(PROJECT.library_options.get("PRIVACYCALL_REDIS"), {"webhook_redis"})
        self.assertEqual({e for e, library in PROJECT.libraries.items() if library["header_only"]},
                         {"privacycall", "mocks"})
        self.assertTrue({"common", "webhook"} <= PROJECT.export_names)
        redis = PROJECT.libraries["webhook_redis"]
        self.assertEqual((redis["components"], redis["packages"]), ({"webhook"}, {"hiredis", "OpenSSL"}))
        self.assertEqual(PROJECT.libraries["common"]["packages"], {"OpenSSL", "nlohmann_json"})

    def test_every_dependency_is_known_to_the_recipes(self):
        for package, (minimum, _) in PROJECT.packaged_dependencies().items():
            self.assertIn(package, DEPENDENCIES, f"{package} has no vcpkg/Conan name in test_recipes.py")
            self.assertIsNotNone(minimum, f"{package} is found without a PRIVACYCALL_*_MIN_VERSION")
        self.assertEqual({"OpenSSL", "nlohmann_json"}, PROJECT.core_dependencies())
        self.assertEqual({"CURL"}, PROJECT.dependencies_of("PRIVACYCALL_CLIENT"))
        self.assertEqual({"httplib"}, PROJECT.dependencies_of("PRIVACYCALL_TESTING"))
        self.assertEqual({"hiredis"}, PROJECT.dependencies_of("PRIVACYCALL_REDIS"))
        self.assertEqual({"GTest"}, PROJECT.dependencies_of("PRIVACYCALL_MOCKS"))

    def test_every_optional_library_has_a_feature_and_an_option(self):
        self.assertTrue(PROJECT.library_options, "no optional library found in src/CMakeLists.txt")
        for option in PROJECT.library_options:
            self.assertIn(option, LIBRARY_OPTIONS, f"{option} has no vcpkg feature / Conan option")
        for option, (_, _, export_name) in LIBRARY_OPTIONS.items():
            self.assertIn(option, PROJECT.options, f"{option} is not an option of the project")
            self.assertIn(export_name, PROJECT.library_options.get(option, ()), option)


class MinimumVersionsAreDeclaredOnce(unittest.TestCase):
    """The CMake package and the pkg-config files take the minimums from the variables."""

    def test_no_other_cmake_file_repeats_a_minimum(self):
        minimums = {m for m, _ in PROJECT.dependencies.values() if m}
        self.assertTrue(minimums)
        for path in sorted((ROOT / "cmake").iterdir()):
            if path.name == "privacycallDependencies.cmake":
                continue
            text = strip_cmake_comments(path.read_text(encoding="utf-8"))
            for minimum in minimums:
                self.assertNotRegex(text, r"(?<![\w.])" + re.escape(minimum) + r"(?![\w.])", path.name)


class VcpkgManifests(unittest.TestCase):
    port_dir = ROOT / "packaging/vcpkg/ports/privacycall"

    def check_dependencies(self, specs, expected_packages, expected_features, where):
        """The third-party ports of `specs` are those of `expected_packages`, each with its
        minimum as `version>=`; the port's own features it names are `expected_features`."""
        ports = {DEPENDENCIES[p][0]: p for p in expected_packages}
        third_party = {}
        own_features = set()
        for spec in specs:
            if not isinstance(spec, str) and spec.get("host"):
                continue
            if dependency_name(spec) == PROJECT.name:
                self.assertIs(spec.get("default-features"), False, where)
                own_features |= set(spec["features"])
            else:
                third_party[dependency_name(spec)] = spec
        self.assertEqual(set(third_party), set(ports), where)
        self.assertEqual(own_features, set(expected_features), where)
        for port, spec in third_party.items():
            minimum = PROJECT.dependencies[ports[port]][0]
            self.assertIsInstance(spec, dict, f"{where}: {port} without version>=")
            self.assertEqual(version_key(spec["version>="]), version_key(minimum), f"{where}: {port}")

    def features_needed_by(self, option):
        return {LIBRARY_OPTIONS[o][0] for o in PROJECT.needs.get(option, ())}

    def check_manifest(self, manifest, extra_features=()):
        self.assertEqual(manifest["name"], PROJECT.name)
        self.assertEqual(manifest["version"], PROJECT.version)
        self.assertEqual(manifest["license"], PROJECT.license)
        self.assertEqual(manifest.get("supports"), "!windows")
        self.check_dependencies(manifest["dependencies"], PROJECT.core_dependencies(), (), "core")

        features = manifest.get("features", {})
        expected = {LIBRARY_OPTIONS[o][0] for o in LIBRARY_OPTIONS} | set(extra_features)
        self.assertEqual(set(features), expected)
        for option, (feature, _, _) in LIBRARY_OPTIONS.items():
            self.check_dependencies(features[feature].get("dependencies", []), PROJECT.dependencies_of(option),
                                    self.features_needed_by(option), feature)
        defaults = {LIBRARY_OPTIONS[o][0] for o in LIBRARY_OPTIONS if PROJECT.packaged_by_default(o)}
        self.assertEqual(set(manifest.get("default-features", [])) - set(extra_features), defaults)

    def test_port_manifest(self):
        manifest = json.loads((self.port_dir / "vcpkg.json").read_text())
        self.check_manifest(manifest)
        host = {dependency_name(d) for d in manifest["dependencies"] if not isinstance(d, str) and d.get("host")}
        self.assertEqual(host, {"vcpkg-cmake", "vcpkg-cmake-config"})
        self.assertEqual(manifest["homepage"], PROJECT.homepage)

    def test_root_manifest(self):
        manifest = json.loads((ROOT / "vcpkg.json").read_text())
        self.check_manifest(manifest, extra_features={"tests"})
        tests = manifest["features"]["tests"]["dependencies"]
        self.assertIn("catch2", {dependency_name(d) for d in tests})
        needed = {f for d in tests if dependency_name(d) == PROJECT.name for f in d["features"]}
        self.assertEqual(needed, self.features_needed_by("PRIVACYCALL_BUILD_TESTS"))

    def test_portfile_maps_features_to_real_options(self):
        portfile = strip_cmake_comments((self.port_dir / "portfile.cmake").read_text())
        block = re.search(r"vcpkg_check_features\((.*?)\)", portfile, re.S).group(1)
        pairs = dict(re.findall(r"([\w-]+)\s+(PRIVACYCALL_\w+)", block.split("FEATURES", 1)[1]))
        self.assertEqual(pairs, {feature: option for option, (feature, _, _) in LIBRARY_OPTIONS.items()})
        settings = dict(re.findall(r"-D(PRIVACYCALL_\w+)=(\w+)", portfile))
        for option in settings:
            self.assertIn(option, PROJECT.options)
        self.assertEqual({o for o, v in settings.items() if v == "OFF"}, BUILD_TREE_OPTIONS & set(PROJECT.options))
        self.assertEqual(settings.get("PRIVACYCALL_INSTALL"), "ON")
        self.assertIn("CONFIG_PATH lib/cmake/privacycall", portfile)

    def test_usage_names_the_exported_targets(self):
        usage = (self.port_dir / "usage").read_text()
        for option, (_, _, export_name) in LIBRARY_OPTIONS.items():
            self.assertIn(f"privacycall::{export_name}", usage)
            self.assertIn(f"privacycall-{export_name.replace('_', '-')}", usage)
        for export_name in ("privacycall", "webhook"):
            self.assertIn(f"privacycall::{export_name}", usage)
        self.assertIn("privacycall-common", usage)
        self.assertIn("privacycall-webhook,", usage)


class ConanRecipe(unittest.TestCase):
    recipe = load_recipe(ROOT / "packaging/conan/conanfile.py")
    errors = sys.modules["conan.errors"]

    def option_values(self, valid=True):
        """Every combination of the options, the valid ones (each option's needs on) or the others."""
        names = [LIBRARY_OPTIONS[o][1] for o in LIBRARY_OPTIONS]
        for shared, *flags in itertools.product([False, True], *([[False, True]] * len(names))):
            on = {option for option, flag in zip(LIBRARY_OPTIONS, flags) if flag}
            if all(PROJECT.needs.get(option, set()) <= on for option in on) == valid:
                yield dict({"shared": shared, "fPIC": True}, **dict(zip(names, flags)))

    def test_metadata(self):
        self.assertEqual(self.recipe.name, PROJECT.name)
        self.assertEqual(self.recipe.version, PROJECT.version)
        self.assertEqual(self.recipe.license, PROJECT.license)
        self.assertEqual(self.recipe.homepage, PROJECT.homepage)
        self.assertEqual(self.recipe.package_type, "library")

    def test_options_mirror_the_cmake_options(self):
        expected = {"shared", "fPIC"} | {conan for _, conan, _ in LIBRARY_OPTIONS.values()}
        self.assertEqual(set(self.recipe.options), expected)
        self.assertEqual(set(self.recipe.default_options), expected)
        for option, (_, conan, _) in LIBRARY_OPTIONS.items():
            self.assertEqual(self.recipe.default_options[conan], PROJECT.packaged_by_default(option), conan)

    def test_requirements_follow_the_options(self):
        for options in self.option_values():
            conanfile = make_conanfile(self.recipe, options)
            conanfile.requirements()
            required = dict(parse_requirement(r) for r in conanfile.required)
            expected = set(PROJECT.core_dependencies())
            for option, (_, conan, _) in LIBRARY_OPTIONS.items():
                if options[conan]:
                    expected |= PROJECT.dependencies_of(option)
            self.assertEqual(set(required), {DEPENDENCIES[p][1] for p in expected}, options)
            for package in expected:
                minimum = PROJECT.dependencies[package][0]
                self.assertEqual(required[DEPENDENCIES[package][1]], minimum, package)

    def test_generate_sets_real_options(self):
        for options in self.option_values():
            conanfile = make_conanfile(self.recipe, options)
            conanfile.generate()
            variables = conanfile.generated
            for name in variables:
                self.assertIn(name, PROJECT.options, f"generate() sets {name}, which is not an option")
            for option in BUILD_TREE_OPTIONS & set(PROJECT.options):
                self.assertIs(variables.get(option), False, option)
            self.assertIs(variables.get("PRIVACYCALL_INSTALL"), True)
            for option, (_, conan, _) in LIBRARY_OPTIONS.items():
                if option in PROJECT.choices:  # ON or OFF, never AUTO
                    self.assertEqual(variables.get(option), "ON" if options[conan] else "OFF", option)
                else:
                    self.assertIs(variables.get(option), options[conan], option)

    def test_package_info_declares_the_installed_targets(self):
        conan_names = {DEPENDENCIES[p][1]: p for p in DEPENDENCIES}
        for options in self.option_values():
            conanfile = make_conanfile(self.recipe, options)
            conanfile.package_info()
            components = dict(conanfile.cpp_info.components.items())
            targets = {c.properties.get("cmake_target_name"): c for c in components.values()}
            built = {export for _, conan, export in LIBRARY_OPTIONS.values() if options[conan]}
            expected = {"common", "webhook"} | built
            if "client" in built:
                expected.add("privacycall")  # the umbrella: client + webhook
            self.assertEqual(set(targets), {f"privacycall::{e}" for e in expected}, options)
            for target, component in targets.items():
                export = target.split("::")[1]
                library = PROJECT.libraries[export]
                if export == "privacycall":
                    self.assertEqual(component.properties.get("pkg_config_name"), "privacycall")
                else:
                    self.assertEqual(component.properties.get("pkg_config_name"),
                                     f"privacycall-{export.replace('_', '-')}")
                self.assertEqual(component.libs, [] if library["header_only"] else [f"privacycall_{export}"], target)
                # A component requires what its CMake target links: the SDK's components and the
                # third-party packages, which include those of its CMake option.
                self.assertEqual({r for r in component.requires if "::" not in r}, library["components"], target)
                packages = {conan_names[r.split("::")[0]] for r in component.requires if "::" in r}
                self.assertEqual(packages, library["packages"], target)
                options_of = [o for o, (_, _, e) in LIBRARY_OPTIONS.items() if e == export]
                if options_of:
                    self.assertTrue(PROJECT.dependencies_of(options_of[0]) <= packages, target)
                self.assertEqual("CURL" in packages, export == "client", target)
            self.assertEqual(conanfile.cpp_info.properties.get("cmake_file_name"), "privacycall")
            # The package's aggregate target and module must not take a component's names.
            self.assertNotIn(conanfile.cpp_info.properties.get("cmake_target_name"), targets)
            self.assertNotIn(conanfile.cpp_info.properties.get("pkg_config_name"),
                             {c.properties.get("pkg_config_name") for c in components.values()})

    def test_an_option_without_those_it_needs_is_refused(self):
        invalid = list(self.option_values(valid=False))
        self.assertTrue(invalid, "no option needs another")
        for options in invalid:
            with self.assertRaises(self.errors.ConanInvalidConfiguration, msg=options):
                make_conanfile(self.recipe, options).validate()

    def test_windows_is_refused_while_the_spool_is_posix_only(self):
        for options in self.option_values():
            make_conanfile(self.recipe, options).validate()
            with self.assertRaisesRegex(self.errors.ConanInvalidConfiguration, "POSIX"):
                make_conanfile(self.recipe, options, "Windows").validate()

    def test_test_package_requires_the_tested_reference(self):
        test_package = load_recipe(ROOT / "packaging/conan/test_package/conanfile.py")
        conanfile = make_conanfile(test_package, {})
        conanfile.requirements()
        self.assertEqual(conanfile.required, ["privacycall/0.1.0"])


class Doxyfile(unittest.TestCase):
    def test_version_and_input(self):
        doxyfile = read("Doxyfile")
        self.assertEqual(re.search(r"^PROJECT_NUMBER\s*=\s*(\S+)", doxyfile, re.M).group(1), PROJECT.version)
        self.assertRegex(doxyfile, r"(?m)^INPUT\s*=.*\binclude/")


if __name__ == "__main__":
    unittest.main(verbosity=2)
