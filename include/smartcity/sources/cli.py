"""``smartcity scrape --demo | --config FILE | --requeue-failed [--source NAME] [--data-dir D] [--parse]``.

Crawls the configured sources (or the bundled demo snapshot, served on loopback for the run) into
the data directory and prints the crawl report as JSON; ``--parse`` also parses the archive and
prints the counts of articles, events and quarantined pages.  ``--requeue-failed`` makes every
failed page (of ``--source``, or of all) due at the next crawl, without waiting for its back-off.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from smartcity import settings


def main(argv: list[str]) -> int:
    """Run the command; returns 0, or 1 when a source configuration cannot be read."""
    from smartcity.sources import config, demo
    from smartcity.sources.crawl import crawl, requeue_failed
    from smartcity.sources.parse import parse_all

    parser = argparse.ArgumentParser(prog="smartcity scrape", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--demo", action="store_true", help="crawl the bundled demo snapshot")
    group.add_argument("--config", type=Path, help="YAML/JSON source configuration")
    group.add_argument("--requeue-failed", action="store_true",
                       help="make failed pages due at the next crawl (no fetching now)")
    parser.add_argument("--source", default=None, help="with --requeue-failed: only this source's pages")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: $SMARTCITY_DATA_DIR or ./data")
    # A fixed port keeps the demo URLs (the state keys) the same from one run to the next.
    parser.add_argument("--port", type=int, default=8765, help="port of the demo server (with --demo)")
    parser.add_argument("--parse", action="store_true", help="also parse the archive and print counts")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or settings.data_dir()
    if args.requeue_failed:
        count = requeue_failed(data_dir, args.source)
        sys.stdout.write(json.dumps({"requeued": count}) + "\n")
        return 0
    server = None
    try:
        if args.demo:
            server, base_url = demo.serve(port=args.port)
            sources = config.demo_sources(base_url)
        else:
            sources = config.load_sources(args.config)
        report = crawl(sources, data_dir).as_dict()
    except (config.ConfigError, OSError) as exc:
        sys.stderr.write(f"smartcity scrape: {exc}\n")
        return 1
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    out = {"crawl": report}
    if args.parse:
        out["parse"] = parse_all(data_dir).counts()
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return 0
