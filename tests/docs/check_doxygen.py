#!/usr/bin/env python3
"""Runs doxygen on the public headers and fails on any undocumented public declaration.

Declarations that were undocumented when this check was introduced are listed in
undocumented_baseline.txt beside this file; the check fails on any undocumented declaration
not listed there, and on any listed one that is now documented (delete its line), so the list
only shrinks. Other doxygen warnings are printed but do not fail the check.

usage: check_doxygen.py [--source-dir DIR] [--output DIR] [--doxygen PATH] [--update-baseline]
Exit status: 0 clean, 1 failures, 77 when doxygen is not installed (ctest SKIP_RETURN_CODE).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SKIPPED = 77
HERE = Path(__file__).resolve().parent
BASELINE = HERE / "undocumented_baseline.txt"
WARNING = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): warning: (?P<text>.*)$")


def run_doxygen(doxygen, source_dir, output_dir):
    config = (source_dir / "Doxyfile").read_text(encoding="utf-8")
    config += f'\nOUTPUT_DIRECTORY = "{output_dir}"\nWARN_LOGFILE =\n'
    done = subprocess.run([doxygen, "-"], input=config, cwd=source_dir, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def parse_warnings(output, source_dir):
    """(undocumented, others): undocumented as 'path: text' keys, without line numbers."""
    undocumented, others = set(), []
    for line in output.splitlines():
        match = WARNING.match(line)
        if not match:
            continue
        path = Path(match.group("file"))
        if path.is_absolute():
            try:
                path = path.relative_to(source_dir)
            except ValueError:
                pass
        text = match.group("text").strip()
        if "is not documented" in text:
            undocumented.add(f"{path.as_posix()}: {text}")
        else:
            others.append(f"{path.as_posix()}:{match.group('line')}: {text}")
    return undocumented, others


def read_baseline():
    if not BASELINE.exists():
        return set()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line.strip() and not line.startswith("#")}


def write_baseline(entries):
    header = [
        "# Public declarations that doxygen reports as undocumented, known when the check was",
        "# introduced (tests/docs/check_doxygen.py). Document them and delete their lines; the",
        "# check fails on any line here that is documented now and on anything new.",
    ]
    BASELINE.write_text("\n".join(header + sorted(entries)) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=HERE.parents[1])
    parser.add_argument("--output", type=Path, help="where doxygen writes (default: a temporary directory)")
    parser.add_argument("--doxygen", default="doxygen")
    parser.add_argument("--update-baseline", action="store_true",
                        help="rewrite the baseline with what doxygen reports now")
    args = parser.parse_args()

    doxygen = shutil.which(args.doxygen)
    if doxygen is None:
        print(f"check_doxygen: {args.doxygen} is not installed (scripts/install-deps.sh docs); skipped")
        return SKIPPED
    source_dir = args.source_dir.resolve()
    with tempfile.TemporaryDirectory() as temporary:
        output_dir = (args.output or Path(temporary)).resolve()
        output_dir.mkdir(parents=True, exist_ok=True)
        status, output = run_doxygen(doxygen, source_dir, output_dir)
    if status != 0:
        print(output)
        print(f"check_doxygen: doxygen exited with {status}")
        return 1

    undocumented, others = parse_warnings(output, source_dir)
    for warning in others:
        print(f"note: {warning}")
    if args.update_baseline:
        write_baseline(undocumented)
        print(f"check_doxygen: wrote {len(undocumented)} entries to {BASELINE}")
        return 0

    baseline = read_baseline()
    new = sorted(undocumented - baseline)
    fixed = sorted(baseline - undocumented)
    for entry in new:
        print(f"undocumented: {entry}")
    for entry in fixed:
        print(f"documented now, delete from {BASELINE.name}: {entry}")
    print(f"check_doxygen: {len(undocumented)} undocumented ({len(baseline)} in the baseline), "
          f"{len(new)} new, {len(fixed)} fixed, {len(others)} other warnings")
    return 1 if new or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
