"""Atomic file writes, shared by the pipeline's run files and the publish files.

Kept import-light (standard library only): the pipeline module and the DAG import it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Write a file atomically: yields a temporary path of its own next to ``path``; on success it
    replaces ``path`` (``os.replace``), on any error ``path`` keeps its old content or stays absent.

    A file under ``path``'s name is therefore always complete: a process killed mid-write (SIGKILL,
    out of memory) leaves at worst a stray ``.<name>.*.tmp`` file, never half a file that the next
    stage, run or content hash takes for a finished one.  (No fsync: this guards against a dying
    process, not against losing power.)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; our files were world-readable before
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
