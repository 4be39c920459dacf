"""The ``smartcity`` command: one sub-command per stage, each implemented in its own module.

Sub-commands are imported lazily so that ``smartcity thai-date`` does not pay for pandas or
Great Expectations.
"""

from __future__ import annotations

import importlib
import logging
import sys

# sub-command -> (module exposing ``main(argv) -> int``, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("smartcity.extract.cli", "print the figures (or --registry) stated in a text"),
    "thai-date": ("smartcity.thai.cli", "parse a Thai or English date / date range"),
    "reconcile": ("smartcity.reconcile.cli", "reconcile figure JSON Lines into totals and checks"),
    "validate": ("smartcity.quality.cli", "validate a dataset file with its expectation suite"),
    "scrape": ("smartcity.sources.cli", "discover and fetch pages from the configured sources"),
    "demo-serve": ("smartcity.sources.demo", "serve the bundled demo snapshot on loopback"),
    "publish": ("smartcity.publish.cli", "publish a run's datasets to CKAN"),
    "ckan": ("smartcity.publish.check", "check a CKAN portal (ckan check): features, may the token publish"),
    "review": ("smartcity.review", "list the figures waiting for a curator, or record a decision"),
    "pipeline": ("smartcity.pipeline", "run every stage once without Airflow (development aid)"),
}


def _usage() -> str:
    lines = ["usage: smartcity COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<12} {help_}" for name, (_, help_) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        sys.stdout.write(_usage() + "\n")
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        sys.stderr.write(f"smartcity: unknown command {name!r}\n{_usage()}\n")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    module = importlib.import_module(COMMANDS[name][0])
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
