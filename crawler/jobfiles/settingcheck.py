"""Catch a setting value of the wrong type before Scrapy does, mid-start, with a traceback.

A setting whose default is a number or a boolean must be given as one: ``-s
DOWNLOAD_DELAY=abc`` or ``DOWNLOAD_DELAY = "abc"`` in a job file's ``[settings]``
is reported in one line instead.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from crawler.egress.policy import parse_allowances

# An int default is checked as a number: Scrapy reads some of them (DOWNLOAD_TIMEOUT)
# with getfloat, and 7.5 there is right.
_KINDS = {bool: ("getbool", "true or false"), int: ("getfloat", "a number"),
          float: ("getfloat", "a number")}


@functools.cache
def _defaults() -> Settings:
    """newsarchive's defaults over Scrapy's (built once; only read)."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return settings


# Checked with their ranges by crawler.storage, in messages of their own.
_CHECKED_ELSEWHERE = ("ARCHIVE_STORE_",)

# Numbers that are only meaningful in a range: (lowest, highest, what to give instead).
# Out of range they would fail at the first page (a worker pool of -1, zlib level 12)
# or quietly fail every page (a time limit of 0).
# Words a setting takes, one of which it must be.
_CHOICES: dict[str, tuple[str, ...]] = {
    "ROBOTS_NOARCHIVE": ("archive", "skip"),
    "REQUISITES": ("", "all", "same-site", "none"),
}

_RANGES: dict[str, tuple[float, float | None, str]] = {
    "EXTRACT_PROCESSES": (0, None, "0 (one per core) or a number of processes"),
    "EXTRACT_TIMEOUT": (0.001, None, "a number of seconds above 0 (default 60)"),
    "WARC_COMPRESS_LEVEL": (0, 9, "a zlib level from 0 (none) to 9 (smallest; default 4)"),
    "CONCURRENT_ITEMS": (1, None, "1 or more"),
}


def setting_problem(name: str, value: Any) -> str:
    """What is wrong with ``value`` for setting ``name``, or ""."""
    if name.startswith(_CHECKED_ELSEWHERE):
        return ""
    if name == "EGRESS_ALLOW":
        return _egress_allow_problem(value)
    if name in _METRICS_CHECKS:
        return _METRICS_CHECKS[name](value)
    if name in _CHOICES:
        return "" if value in _CHOICES[name] else (
            f"{name} expects {' or '.join(map(repr, _CHOICES[name]))}, got {value!r}")
    default = _defaults().get(name)
    kind = type(default) if default is not None else None
    if kind not in _KINDS:
        return ""
    getter, wanted = _KINDS[kind]
    probe = Settings({name: value})
    try:
        number = getattr(probe, getter)(name)
        if name in _RANGES and kind is int:
            probe.getint(name)  # read as Scrapy will read it: "4.0" is no int
    except (TypeError, ValueError):
        return f"{name} expects {_RANGES[name][2] if name in _RANGES else wanted}, got {value!r}"
    if kind is not bool and not math.isfinite(number):
        return f"{name} expects {wanted}, got {value!r}"
    if name in _RANGES:
        lowest, highest, instead = _RANGES[name]
        if number < lowest or (highest is not None and number > highest):
            return f"{name} expects {instead}, got {value!r}"
    return ""


def _egress_allow_problem(value: Any) -> str:
    try:
        parse_allowances(Settings({"EGRESS_ALLOW": value}).getlist("EGRESS_ALLOW"))
    except ValueError as exc:
        return (f"{exc}; give ranges (10.0.0.0/8), addresses or hosts, with or without a "
                "port, separated by commas")
    return ""


def _metrics_port_problem(value: Any) -> str:
    if value in (None, ""):
        return ""  # off
    try:
        port = None if isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        port = None
    if port is None or not 0 <= port <= 65535:
        return (f"METRICS_PORT expects a port number from 1 to 65535 (or 0 for any free "
                f"one), got {value!r}")
    return ""


def _metrics_address_problem(value: Any) -> str:
    try:
        ipaddress.ip_address(str(value).strip("[]"))
    except ValueError:
        return (f"METRICS_ADDRESS expects an IP address to listen on (127.0.0.1, 0.0.0.0, "
                f"::1), got {value!r}")
    return ""


def _metrics_file_problem(value: Any) -> str:
    """The textfile collector reads only ``*.prom`` files, in a folder that must exist:
    wrong, the file would be written every run and never read."""
    if not value:
        return ""  # off
    path = Path(str(value))
    if path.suffix != ".prom":
        return (f"METRICS_FILE must end in .prom (node_exporter's textfile collector reads "
                f"no other files), got {value!r}")
    folder = path.parent
    if not folder.is_dir():
        return f"METRICS_FILE's folder {str(folder)!r} does not exist: create it first"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"METRICS_FILE's folder {str(folder)!r} is not writable"
    if path.is_dir():
        return f"METRICS_FILE {str(path)!r} is a folder: give a file name ending in .prom"
    return ""


_METRICS_CHECKS = {"METRICS_PORT": _metrics_port_problem,
                   "METRICS_ADDRESS": _metrics_address_problem,
                   "METRICS_FILE": _metrics_file_problem}


def settings_problem(values: Mapping[str, Any]) -> str:
    """The first problem among ``values``, or ""."""
    for name, value in values.items():
        if problem := setting_problem(name, value):
            return problem
    return ""
