#!/usr/bin/env python3
"""Keeps the metrics the docs name in step with what a receiver serves: starts `privacycall
listen` with a spool (so that the queue's gauges are there too), reads its /metrics page, and
checks that
  - docs/webhooks.md names every metric family on the page and every value of its labels
    (kinds, outcomes, reasons), so that an operator finds each series explained;
  - no doc under docs/ names a `privacycall_webhook_...` series the page does not have, so that
    an alert written from the docs matches something.
A name written `..._suffix` in the docs stands for `privacycall_webhook_suffix`.

usage: check_metrics_md.py --cli PATH --docs DIR
"""
import argparse
import re
import select
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

PREFIX = "privacycall_webhook_"
HISTOGRAM_SERIES = ("_bucket", "_sum", "_count")


def metrics_page(cli):
    with tempfile.TemporaryDirectory() as spool:
        process = subprocess.Popen(
            [cli, "listen", "--port", "0", "--spool", spool, "--app-key", "docs-key", "--app-secret", "docs-secret"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ready, _, _ = select.select([process.stdout], [], [], 30)
            first = process.stdout.readline().strip() if ready else ""
            if not first.startswith("listening on http://"):
                sys.exit("privacycall listen did not start: %r" % first)
            url = first[len("listening on "):]
            with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
                return response.read().decode()
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def family_of(name, families):
    """The family a series belongs to: a histogram's _bucket, _sum and _count are its own."""
    return next((name[:-len(s)] for s in HISTOGRAM_SERIES if name.endswith(s) and name[:-len(s)] in families), name)


def served(page):
    """{family: {label: {values}}} of a metrics page, from its # TYPE lines and samples."""
    families = {}
    for line in page.splitlines():
        if line.startswith("# TYPE "):
            families.setdefault(line.split()[2], {})
    for line in page.splitlines():
        if not line or line.startswith("#"):
            continue
        match = re.match(r"([a-z_]+)(?:\{(.*)\})? ", line)
        if not match:
            sys.exit("not a sample line: %r" % line)
        family = family_of(match.group(1), families)
        if family not in families:
            sys.exit("sample %r of no declared family" % line)
        for label, value in re.findall(r'([a-z_]+)="([^"]*)"', match.group(2) or ""):
            if label != "le":  # histogram buckets: numbers, not vocabulary
                families[family].setdefault(label, set()).add(value)
    return families


def named_in(text):
    """The privacycall_webhook_ series a doc names, `..._suffix` expanded."""
    names = set(re.findall(r"\b(%s[a-z_]*[a-z])\b" % PREFIX, text))  # not CMake's privacycall_webhook_server_FOUND
    names |= {PREFIX + suffix for suffix in re.findall(r"\.\.\._([a-z_]+)", text)}
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--docs", required=True, type=Path)
    args = parser.parse_args()

    families = served(metrics_page(args.cli))
    if not families:
        sys.exit("the metrics page declared no family")
    problems = []
    reference = (args.docs / "webhooks.md").read_text()
    documented = named_in(reference)
    for family, labels in sorted(families.items()):
        if family not in documented:
            problems.append("docs/webhooks.md does not name the family %s" % family)
        for label, values in sorted(labels.items()):
            for value in sorted(values):
                if "`%s`" % value not in reference:
                    problems.append("docs/webhooks.md does not name %s's %s `%s`" % (family, label, value))
    for doc in sorted(args.docs.glob("*.md")):
        for name in sorted(named_in(doc.read_text())):
            if family_of(name, families) not in families:
                problems.append("docs/%s names %s, which the metrics page does not have" % (doc.name, name))
    for problem in problems:
        print(problem)
    print("%d families, %d label values checked against %s: %s"
          % (len(families), sum(len(v) for labels in families.values() for v in labels.values()), args.docs,
             "FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
