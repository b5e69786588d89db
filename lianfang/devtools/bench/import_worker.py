"""``bench import`` runs the import in a fresh process, as the task worker does, so that its time
and peak memory are the import's own and not the bench's (which has just built a registry of a
million persons in its own process). No Django models are imported here at import time: the
spawned child unpickles ``timed_import`` before Django is set up."""

from __future__ import annotations

import time
from typing import Any


def timed_import(job_id: str, result: Any) -> None:
    import django

    django.setup()
    from lianfang.people.imports import jobs

    start = time.perf_counter()
    jobs.run(job_id)
    result.put((time.perf_counter() - start, peak_kb()))


def peak_kb() -> int:
    """The largest of this process and the processes it waited for (the reading process).

    Not ``ru_maxrss`` alone: a spawned process is forked before it executes Python afresh, and
    Linux keeps the parent's size at that moment as the child's peak. ``VmHWM`` is this process's
    own since then; the reading process was spawned from this one early, while it was small."""
    import resource
    from pathlib import Path

    own = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = int(line.split()[1])
    if not own:  # not Linux
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
