"""CPU time and memory of a process and all its descendants, read from /proc (Linux).

A crawl is a process tree (the crawl, its extraction workers, multiprocessing's
helpers), so its cost is the sum over the tree: ``utime + stime`` of every live
process plus ``cutime + cstime`` (children it has already waited for), and the
RSS of every live process. The sum of RSS counts memory the processes share
(the Python runtime, lxml, libraries) once per process; PSS divides each shared
page among its users, so its sum is the memory the tree really takes.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class TreeUsage:
    cpu_seconds: float
    rss_bytes: int
    processes: int
    largest_rss_bytes: int = 0
    pss_bytes: int | None = None  # when asked for: reading it costs the kernel a page walk
    root_cpu_seconds: float = 0.0  # the root process's own (utime + stime), children apart


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone between listing and reading
        return None
    # The command name (field 2) is in parentheses and may hold spaces.
    return raw[raw.rindex(")") + 2:].split()


def descendants(root: int) -> list[int]:
    """``root`` and every live process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def tree_usage(root: int, *, pss: bool = False) -> TreeUsage:
    return _usage(descendants(root), pss=pss)


def _usage(pids: list[int], *, pss: bool) -> TreeUsage:
    cpu_ticks = root_ticks = 0
    rss_pages: list[int] = []
    pss_bytes = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is None:
            continue
        # After the name: state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14 ... rss=21
        cpu_ticks += sum(int(fields[i]) for i in (11, 12, 13, 14))
        if pid == pids[0]:
            root_ticks = int(fields[11]) + int(fields[12])
        rss_pages.append(int(fields[21]))
        if pss:
            pss_bytes += _pss(pid)
    return TreeUsage(cpu_ticks / _TICKS, sum(rss_pages) * _PAGE, len(rss_pages),
                     max(rss_pages, default=0) * _PAGE, pss_bytes if pss else None,
                     root_ticks / _TICKS)


def smaps_rollup(pid: int) -> dict[str, int] | None:
    """The process's ``/proc/PID/smaps_rollup`` fields (``Rss``, ``Pss``, ``Shared_Clean``
    ...) in bytes; None when it is gone (or not ours to read)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    fields = {}
    for line in text.splitlines()[1:]:  # the first names the address range
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) * 1024
    return fields


def _pss(pid: int) -> int:
    return (smaps_rollup(pid) or {}).get("Pss", 0)


class TreeWatcher:
    """:func:`tree_usage` of one tree, sampled often: the list of processes is only
    read again every ``rescan_every`` seconds (a full /proc scan costs about a
    millisecond, which a sampler must not steal from what it measures). A process
    born and gone between two scans still counts, in its parent's cutime."""

    def __init__(self, root: int, rescan_every: float = 1.0) -> None:
        self.root = root
        self.rescan_every = rescan_every
        self._pids: list[int] = []
        self._scanned = -float("inf")

    def usage(self, *, pss: bool = False) -> TreeUsage:
        now = time.monotonic()
        if now - self._scanned >= self.rescan_every:
            self._pids = descendants(self.root)
            self._scanned = now
        return _usage(self._pids, pss=pss)


class PeakSampler:
    """The peaks of one tree's CPU time, RSS and PSS, sampled in a thread of its own
    every ``every`` seconds while the ``with`` block runs (PSS only every
    ``pss_every``-th sample: it costs the kernel a walk of every page table)::

        with PeakSampler(process.pid, 0.25, pss_every=4) as peaks:
            process.wait()
        peaks.pss_bytes
    """

    def __init__(self, root: int, every: float, *, pss_every: int = 1) -> None:
        self.every = every
        self.pss_every = max(1, pss_every)
        self.cpu_seconds = 0.0
        self.rss_bytes = 0
        self.pss_bytes = 0
        self._tree = TreeWatcher(root)
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        count = 0
        while not self._finished.is_set():
            usage = self._tree.usage(pss=count % self.pss_every == 0)
            self.cpu_seconds = max(self.cpu_seconds, usage.cpu_seconds)
            self.rss_bytes = max(self.rss_bytes, usage.rss_bytes)
            self.pss_bytes = max(self.pss_bytes, usage.pss_bytes or 0)
            count += 1
            self._finished.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finished.set()
        self._thread.join()
