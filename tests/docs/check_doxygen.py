#!/usr/bin/env python3
"""Runs doxygen on the public headers and the guide and fails on any warning, so the reference
builds clean and every public name has a line of its own.

Doxygen itself reports an undocumented class, function, variable, type or member
(WARN_IF_UNDOCUMENTED) and any broken reference or malformed command. Doxygen 1.9.4, Debian 12's,
has no warning for an undocumented enumerator (WARN_IF_UNDOC_ENUM_VAL came later), so this
script also reads doxygen's XML output and reports each enumerator without a description.

usage: check_doxygen.py [--source-dir DIR] [--output DIR] [--doxygen PATH]
Exit status: 0 clean, 1 failures, 77 when doxygen is not installed (ctest SKIP_RETURN_CODE).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

SKIPPED = 77
HERE = Path(__file__).resolve().parent
WARNING = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): warning: (?P<text>.*)$")


def run_doxygen(doxygen, source_dir, output_dir):
    # XML besides the HTML: the enumerator check below reads it.
    config = (source_dir / "Doxyfile").read_text(encoding="utf-8")
    config += f'\nOUTPUT_DIRECTORY = "{output_dir}"\nWARN_LOGFILE =\nGENERATE_XML = YES\n'
    done = subprocess.run([doxygen, "-"], input=config, cwd=source_dir, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def relative(path, source_dir):
    path = Path(path)
    if path.is_absolute():
        try:
            return path.relative_to(source_dir).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def doxygen_warnings(output, source_dir):
    """Every warning line, as 'path:line: text' with the path relative to the source tree."""
    warnings = []
    for line in output.splitlines():
        match = WARNING.match(line)
        if match:
            warnings.append(f"{relative(match.group('file'), source_dir)}:{match.group('line')}: "
                            f"{match.group('text').strip()}")
        elif "warning:" in line:
            warnings.append(line.strip())
    return warnings


def has_text(element):
    return element is not None and "".join(element.itertext()).strip() != ""


def undocumented_enumerators(xml_dir, source_dir):
    """'path:line: enumerator X of Y is not documented' for each enumerator without a line."""
    found = set()
    for compound in sorted(xml_dir.glob("*.xml")):
        if compound.name == "index.xml":
            continue
        root = ElementTree.parse(compound).getroot()
        for enum in root.iter("memberdef"):
            if enum.get("kind") != "enum":
                continue
            for value in enum.findall("enumvalue"):
                if has_text(value.find("briefdescription")) or has_text(value.find("detaileddescription")):
                    continue
                location = enum.find("location")
                where = (f"{relative(location.get('file'), source_dir)}:{location.get('line')}"
                         if location is not None else compound.name)
                found.add(f"{where}: enumerator {value.findtext('name')} of {enum.findtext('qualifiedname') or enum.findtext('name')} "
                          "is not documented")
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=HERE.parents[1])
    parser.add_argument("--output", type=Path, help="where doxygen writes (default: a temporary directory)")
    parser.add_argument("--doxygen", default="doxygen")
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
        problems = doxygen_warnings(output, source_dir) + undocumented_enumerators(output_dir / "xml", source_dir)

    for problem in problems:
        print(f"warning: {problem}")
    print(f"check_doxygen: {len(problems)} warning(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
