"""Print how long each task of one `airflow dags test` run took, from its log.

Usage: ``python scripts/stage_times.py LOG``.  A task's time runs from its ``start_date`` (as the
task runner reports it) to the moment it pushed its return value, so it is the task's own work
plus the start of its process; tasks that failed are not listed.  Instances of a mapped task
(the per-source crawls) are listed one by one.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

_PUSH = re.compile(
    r"^(?P<end>\d{4}-\d\d-\d\dT[\d:.]+)Z .*Pushing xcom.*task_id='(?P<task>[^']+)'"
    r"(?:.*map_index=(?P<index>-?\d+))?.*start_date=datetime\.datetime\((?P<start>[\d, ]+), tzinfo"
)


def stage_times(lines: list[str]) -> list[tuple[str, float]]:
    """(task id, seconds) for every task that returned, in the order they finished.

    A mapped task's instances (one crawl per source) are named ``task[map index]``.
    """
    out = []
    for line in lines:
        m = _PUSH.match(line)
        if m is None:
            continue
        end = dt.datetime.fromisoformat(m["end"])
        parts = [int(x) for x in m["start"].split(",")]
        start = dt.datetime(*parts[:6], parts[6] if len(parts) > 6 else 0)
        task = m["task"] if int(m["index"] or -1) < 0 else f"{m['task']}[{m['index']}]"
        out.append((task, (end - start).total_seconds()))
    return out


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8", errors="replace") as fh:
        times = stage_times(fh.readlines())
    for task, secs in times:
        print(f"  {task:<20} {secs:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
