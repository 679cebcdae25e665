#!/usr/bin/env python3
"""Compares the symbols a shared library exports with the list kept in abi/, so that a change of
the binary interface (a name exported by mistake, a signature changed, an export lost) fails a
test and shows up in review as a diff of that list.

The list holds the library's defined dynamic symbols (`nm -D --defined-only`), demangled, sorted
and without duplicates (a constructor's complete and base-object forms demangle alike). Left out,
because they are not the SDK's interface and come and go with the optimiser and the libstdc++
version rather than with the SDK's API:
  - entities of the standard library (std::, __gnu_cxx::): weak template instantiations such
    as std::vector<privacycall::v1::AxbBinding>::_M_realloc_insert, and their typeinfo and
    vtables, which every program that uses them may emit its own identical copy of;
  - entities local to a function (its lambdas' typeinfo, as std::function stores them; its
    static variables): no caller can name them, and their numbering (`{lambda()#2}`) changes
    with any edit of the function's body;
  - typeinfo of types that are not classes (`std::string ()`, a function type std::function
    asks for): the compiler emits it in any library that uses the type;
  - the linker's own markers (_init, _fini, _edata, _end, __bss_start).
What remains is every exported name of the SDK: the public API (privacycall::v1,
privacycall::webhook::v1, privacycall::testing::v1) and the few internal names one of its
libraries calls in another (PRIVACYCALL_INTERNAL_EXPORT).

usage: check_symbols.py --library LIB --expected abi/NAME.symbols [--nm NM] [--cxxfilt C++FILT]
                        [--update]
--update (or PRIVACYCALL_UPDATE_ABI=1 in the environment) rewrites the expected list from the
library instead of checking it; scripts/update-abi.sh does that for every library.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

LINKER_MARKERS = {"_init", "_fini", "_edata", "_end", "__bss_start"}

# A mangled name whose entity is in std:: or __gnu_cxx::. After `_Z`: an optional special-name
# prefix (vtable TV, typeinfo TI, typeinfo name TS, guard variable GV, TLS wrapper TW/TH,
# reference temporary GR), an optional local-entity Z, an optional nested-name N with its
# cv/ref qualifiers, then the namespace: St (std::), one of the std abbreviations Sa Sb Ss Si So
# Sd, or 9__gnu_cxx.
STANDARD_LIBRARY = re.compile(r"^_Z(?:T[VIST]|GV|GR|TW|TH)?Z?(?:N[rVKRO]*)?(?:S[tabsiod]|9__gnu_cxx)")
# Typeinfo (TI) or its name (TS) of a type other than a class: a class's mangling starts with N,
# a length (digit), S (a std abbreviation, filtered above) or Z (local); F is a function type,
# P a pointer, and so on.
NON_CLASS_TYPEINFO = re.compile(r"^_ZT[IS][^NZS0-9]")
# A mangled name of a local entity: `Z <function> E <entity>`, after the same prefixes.
LOCAL_ENTITY = re.compile(r"^_Z(?:T[VIST]|GV|GR|TW|TH)?Z")


def exported(library, nm):
    done = subprocess.run([nm, "-D", "--defined-only", library], capture_output=True, text=True, check=True)
    names = []
    for line in done.stdout.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        name = fields[-1].split("@", 1)[0]
        if (name in LINKER_MARKERS or STANDARD_LIBRARY.match(name) or LOCAL_ENTITY.match(name)
                or NON_CLASS_TYPEINFO.match(name)):
            continue
        names.append(name)
    return names


def demangle(names, cxxfilt):
    done = subprocess.run([cxxfilt], input="\n".join(names) + "\n", capture_output=True, text=True, check=True)
    return sorted(set(done.stdout.splitlines()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, type=Path)
    parser.add_argument("--expected", required=True, type=Path)
    parser.add_argument("--nm", default="nm")
    parser.add_argument("--cxxfilt", default="c++filt")
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()

    current = demangle(exported(args.library, args.nm), args.cxxfilt)
    if args.update or os.environ.get("PRIVACYCALL_UPDATE_ABI") == "1":
        args.expected.write_text("".join(f"{line}\n" for line in current), encoding="utf-8")
        print(f"{args.expected}: {len(current)} symbols")
        return 0

    expected = args.expected.read_text(encoding="utf-8").splitlines() if args.expected.exists() else []
    if current == expected:
        print(f"{args.library.name}: {len(current)} exported symbols, as listed in {args.expected.name}")
        return 0
    diff = difflib.unified_diff(expected, current, str(args.expected), f"exported by {args.library.name}",
                                lineterm="", n=0)
    print("\n".join(diff))
    print(f"\n{args.library.name} exports other symbols than {args.expected} lists (- listed only, "
          "+ exported only).\nIf the change of the binary interface is intended, run "
          "scripts/update-abi.sh and commit the list with the change; see docs/abi.md.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
