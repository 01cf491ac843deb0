"""The job file a user would write for the simulated web: one source a site.

A site with a "www" alias is given by its alias, as people often paste it, with both
hosts in ``allowed_domains`` so the redirect lands inside the source. The sites'
loopback range goes in ``egress_allow``: the egress guard refuses loopback
addresses a job does not name, and the feeds and sitemaps the sites advertise
must be reachable too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def _host(base: str) -> str:
    return urlsplit(base).netloc


def job_toml(name: str, sites: list[dict[str, Any]], egress_range: str, *,
             requisites: str = "none") -> str:
    lines = [f"name = {json.dumps(name)}", 'contact = "mailto:bench@example.org"',
             f"egress_allow = [{json.dumps(egress_range)}]",
             f"requisites = {json.dumps(requisites)}", ""]
    for site in sites:
        seed = (site["alias"] or site["base"]) + "/"
        domains = [_host(site["base"])] + ([_host(site["alias"])] if site["alias"] else [])
        lines += ["[[sources]]", f"name = {json.dumps(site['name'])}",
                  f"seeds = [{json.dumps(seed)}]",
                  f"allowed_domains = [{', '.join(json.dumps(d) for d in domains)}]", ""]
    return "\n".join(lines)


def write_job(path: Path, name: str, sites: list[dict[str, Any]], egress_range: str, *,
              requisites: str = "none") -> Path:
    path.write_text(job_toml(name, sites, egress_range, requisites=requisites),
                    encoding="utf-8")
    return path
