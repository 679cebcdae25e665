#!/usr/bin/env python3
"""Keeps the public headers free of conditional compilation, so that no public type's layout or
inline code can depend on a macro the application sets differently from the library's build
(NDEBUG above all: a Debug application links a Release library). Allowed: include guards, and
the compiler test in abi.hpp that picks the export attribute. Also checks that every public
header opens the versioned inline namespace whenever it opens one of privacycall's.

usage: check_headers.py [--include-dir DIR]
"""

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONDITIONAL = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")
# abi.hpp picks the export attribute by compiler: the same for every build of one application.
ALLOWED = {"abi.hpp": {"#if defined(__GNUC__) || defined(__clang__)", "#else", "#endif"}}


def problems_in(path, include_dir):
    name = path.relative_to(include_dir).as_posix()
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    guard = None
    for number, line in enumerate(lines, 1):
        match = CONDITIONAL.match(line)
        if not match:
            continue
        directive, rest = match.group(1), match.group(2).strip()
        if guard is None and directive == "ifndef" and rest.endswith("_HPP"):
            guard = rest
            continue
        if directive == "endif" and rest == f"// {guard}":
            continue
        if f"#{directive} {rest}".strip() in ALLOWED.get(path.name, ()):
            continue
        yield f"{name}:{number}: #{directive} {rest}: public headers must not compile differently by macro"
    if re.search(r"^namespace privacycall", text, re.M) and "PRIVACYCALL_INLINE_NAMESPACE_BEGIN" not in text:
        yield f"{name}: declares in namespace privacycall without PRIVACYCALL_INLINE_NAMESPACE_BEGIN"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include-dir", type=Path, default=HERE.parents[1] / "include")
    args = parser.parse_args()
    include_dir = args.include_dir.resolve()
    headers = sorted(include_dir.rglob("*.hpp"))
    problems = [problem for header in headers for problem in problems_in(header, include_dir)]
    for problem in problems:
        print(problem)
    print(f"check_headers: {len(headers)} public headers, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
