"""A curator's last word on the figures: decisions that every run applies.

The extractor grades each figure (:mod:`smartcity.extract.confidence`): ``high`` ones are
published as facts, ``low`` ones wait for review.  A curator decides on any figure by its stable
``figure_id`` (article, metric, value, region: the same across runs):

* ``accept``: a candidate is published (``review = accepted``);
* ``reject``: the figure is never published again, whatever its confidence, nor listed as pending;
* ``correct``: the figure is published with the curator's scope and/or qualifier
  (``review = corrected``).

Decisions are JSON Lines, one per line, appended; the last decision on a figure wins.  The file's
path comes from the Airflow Variable ``smartcity_decisions``, else ``SMARTCITY_DECISIONS``, else
``<data dir>/review/decisions.jsonl`` (:func:`decisions_path`).

``smartcity review list`` prints the pending candidates of a run (figure, statement and its
context); ``smartcity review accept|reject|correct FIGURE_ID`` writes a decision.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from smartcity import atomic, settings

__all__ = ["ACTIONS", "Decision", "apply", "decisions_path", "load", "record"]

ACTIONS = ("accept", "reject", "correct")
SCOPES = ("total", "new", "target", None)
QUALIFIERS = ("exact", "more_than", "at_least", "approx", "up_to")


class DecisionError(ValueError):
    """A decision that cannot be applied or recorded, with the reason."""


@dataclass(frozen=True, slots=True)
class Decision:
    figure_id: str
    action: str  # accept | reject | correct
    scope: str | None = None  # correct: the scope to publish ("" in the file means null)
    qualifier: str | None = None  # correct: the qualifier to publish
    note: str = ""
    by: str = ""
    at: str = ""  # ISO datetime, UTC

    def check(self) -> None:
        if not self.figure_id:
            raise DecisionError("a decision needs a figure_id")
        if self.action not in ACTIONS:
            raise DecisionError(f"{self.figure_id}: unknown action {self.action!r} (one of {ACTIONS})")
        if self.action == "correct":
            if self.scope is None and self.qualifier is None:
                raise DecisionError(f"{self.figure_id}: correct needs --scope and/or --qualifier")
            if self.scope is not None and (self.scope or None) not in SCOPES:
                raise DecisionError(f"{self.figure_id}: unknown scope {self.scope!r} (one of {SCOPES})")
            if self.qualifier is not None and self.qualifier not in QUALIFIERS:
                raise DecisionError(f"{self.figure_id}: unknown qualifier {self.qualifier!r}")


def decisions_path(variable: str | None = None) -> Path:
    """The decisions file: ``variable`` (the Airflow Variable's value), else the environment, else
    under the data directory."""
    chosen = variable or os.environ.get("SMARTCITY_DECISIONS")
    return Path(chosen) if chosen else settings.data_dir() / "review" / "decisions.jsonl"


def load(path: Path) -> dict[str, Decision]:
    """figure_id -> its last decision; an absent file is no decision.  A malformed line raises
    :class:`DecisionError` naming the file and line (a curator's word is never silently lost)."""
    decisions: dict[str, Decision] = {}
    if not path.is_file():
        return decisions
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            decision = Decision(**{k: raw.get(k) for k in Decision.__slots__ if k in raw})
            decision.check()
        except (ValueError, TypeError) as exc:
            raise DecisionError(f"{path}:{n}: not a decision: {exc}") from exc
        decisions[decision.figure_id] = decision
    return decisions


def record(path: Path, decision: Decision) -> Decision:
    """Append ``decision`` (stamped with time and user when not given) to the file, atomically."""
    stamped = Decision(**{**asdict(decision),
                          "at": decision.at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                          "by": decision.by or getpass.getuser()})
    stamped.check()
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    with atomic.replacing(path) as tmp:
        tmp.write_text(old + json.dumps(asdict(stamped), ensure_ascii=False) + "\n", encoding="utf-8")
    return stamped


def apply(rows: list[dict], decisions: dict[str, Decision]) -> tuple[list[dict], list[dict], int]:
    """Split figure rows (dicts with ``figure_id`` and ``confidence``) into (published, pending,
    rejected count) by the decisions."""
    published, pending, rejected = [], [], 0
    for row in rows:
        decision = decisions.get(row["figure_id"])
        row["review"] = None
        if decision is None:
            (published if row["confidence"] == "high" else pending).append(row)
        elif decision.action == "reject":
            rejected += 1
        else:
            row["review"] = "accepted" if decision.action == "accept" else "corrected"
            if decision.action == "correct":
                if decision.scope is not None:
                    row["scope"] = decision.scope or None
                if decision.qualifier is not None:
                    row["qualifier"] = decision.qualifier
            published.append(row)
    return published, pending, rejected


# ---------------------------------------------------------------- the command
def _latest_run(data_dir: Path) -> Path | None:
    runs = [p for p in (data_dir / "runs").glob("*") if (p / "review_candidates.jsonl").is_file()]
    return max(runs, key=lambda p: (p / "review_candidates.jsonl").stat().st_mtime, default=None)


def main(argv: list[str] | None = None) -> int:
    """``smartcity review``: list a run's pending figures, or record a curator's decision."""
    parser = argparse.ArgumentParser(prog="smartcity review", description=main.__doc__)
    parser.add_argument("--decisions", help="decisions file (default: $SMARTCITY_DECISIONS or "
                                            "<data>/review/decisions.jsonl)")
    sub = parser.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="the pending candidates of a run, with statement and context")
    ls.add_argument("--run", help="run directory (default: the newest under <data>/runs)")
    for action in ACTIONS:
        p = sub.add_parser(action, help=f"{action} a figure by its figure_id")
        p.add_argument("figure_id")
        p.add_argument("--note", default="")
        if action == "correct":
            p.add_argument("--scope", choices=["total", "new", "target", "none"])
            p.add_argument("--qualifier", choices=QUALIFIERS)
    args = parser.parse_args(argv)
    path = Path(args.decisions) if args.decisions else decisions_path()
    try:
        if args.command == "list":
            return _list(Path(args.run) if args.run else _latest_run(settings.data_dir()), path)
        scope = getattr(args, "scope", None)
        decision = record(path, Decision(
            args.figure_id, args.command,
            scope="" if scope == "none" else scope, qualifier=getattr(args, "qualifier", None),
            note=args.note))
    except DecisionError as exc:
        print(f"smartcity review: {exc}", file=sys.stderr)
        return 2
    print(f"{decision.action} {decision.figure_id} recorded in {path}; the next run applies it")
    return 0


def _list(run: Path | None, path: Path) -> int:
    if run is None or not (run / "review_candidates.jsonl").is_file():
        print("smartcity review: no run with review candidates (run the pipeline first, or --run)",
              file=sys.stderr)
        return 2
    decided = load(path)
    rows = [json.loads(line) for line in
            (run / "review_candidates.jsonl").read_text(encoding="utf-8").splitlines() if line]
    pending = [r for r in rows if r["figure_id"] not in decided]
    print(f"{len(pending)} pending of {len(rows)} candidates in {run} (decisions: {path})")
    for r in pending:
        print(f"\n{r['figure_id']}  {r['metric']} = {r['value']:g} {r['unit']}  scope={r['scope']} "
              f"qualifier={r['qualifier']} region={r['region']}")
        print(f"  article:   {r.get('article_title') or ''} ({r.get('published') or 'no date'}) "
              f"{r['source_url']}")
        print(f"  why low:   {r['rule']}")
        print(f"  statement: {r['evidence']}")
        print(f"  context:   {r.get('context', '')}")
    return 0
