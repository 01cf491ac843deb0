"""A simulated news web: N news sites, each on its own loopback address, that publish
and edit articles hour by simulated hour, with a realistic mix of faults.

Each site has robots.txt (some with ``Crawl-delay``, some disallowing ``/print/`` and
``/search``, which they still link to), a home page, 2-4 sections with pagination, an
RSS 2.0 or Atom feed, a Google News sitemap named by robots.txt, one of three page
templates and one of five languages; some have a "www" alias on a second address that
redirects to the main one. Sites live on 127.64.0.0/10 (Linux routes all of
127.0.0.0/8 to the loopback interface, so any address there can be bound).

The web is served from its own process (standard library only: one asyncio loop,
one listening socket per host) and driven through a control interface on 127.0.0.1
(bench/_newsweb/control.py): advance to an hour, read the ground truth, read and
reset the request log. Look at it:

    .venv/bin/python -m bench.newsweb --sites 20 --serve

Benchmarks start it with :class:`NewsWeb` (bench/newsweb_cycles.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from bench._newsweb.control import Control
from bench._newsweb.faults import FaultPlan
from bench._newsweb.model import World
from bench._newsweb.routes import Router
from bench._newsweb.server import WebServer

REPO = Path(__file__).resolve().parents[1]
#: The range every site and alias lives in: a job's ``egress_allow``.
EGRESS_RANGE = "127.64.0.0/10"


class NewsWeb:
    """A news web served by a child process, and its control interface."""

    def __init__(self, sites: int = 300, *, seed: int = 1, port: int = 8000,
                 faults: list[str] = (), aliases: list[int] = ()) -> None:
        command = [sys.executable, "-m", "bench.newsweb", "--sites", str(sites),
                   "--seed", str(seed), "--port", str(port), "--serve", "--quiet"]
        for fault in faults:
            command += ["--fault", fault]
        for index in aliases:
            command += ["--alias", str(index)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO,
                                        env={**os.environ, "PYTHONPATH": str(REPO)})
        ready = self.process.stdout.readline() if self.process.stdout else ""
        if not ready:
            raise RuntimeError(f"the news web did not start (exit {self.process.wait()})")
        self.control = json.loads(ready)["control"]

    def _get(self, path: str, timeout: float = 120) -> Any:
        with urllib.request.urlopen(self.control + path, timeout=timeout) as answer:
            return json.load(answer)

    def advance(self, hour: int) -> dict[str, Any]:
        return self._get(f"/advance?hour={hour}")

    def truth(self) -> dict[str, Any]:
        return self._get("/truth")

    def log(self, *, reset: bool = False) -> list[list]:
        return self._get("/log?reset=1" if reset else "/log")["entries"]

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self._get("/shutdown", timeout=5)
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> NewsWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def parse_fault(text: str) -> tuple[int, FaultPlan]:
    """``INDEX=KIND@START+HOURS``, e.g. ``3=down@1+2``: site 3 down in hours 1 and 2."""
    index, _, rest = text.partition("=")
    kind, _, span = rest.partition("@")
    start, _, hours = span.partition("+")
    return int(index), FaultPlan(kind, int(start), int(hours), slow_seconds=1.5,
                                 retry_after=10, throttle_status=429)


async def _serve(args: argparse.Namespace) -> None:
    world = World(args.sites, args.seed, dict(parse_fault(f) for f in args.fault),
                  tuple(args.alias))
    world.advance(args.hour)
    router = Router(world)
    server = WebServer(world, router, args.port)
    await server.start()
    await server.sync_up_and_down()
    router.advanced()  # articles' URLs need the ports just bound
    control = Control(server, router)
    port = await control.start(args.control_port)
    print(json.dumps({"control": f"http://127.0.0.1:{port}", "sites": args.sites}), flush=True)
    if not args.quiet:
        for site in world.sites:
            print(f"{site.name} {site.base}/ {site.language} {site.template} {site.size}"
                  f"{' alias ' + site.alias_base if site.alias_base else ''}"
                  f"{f' crawl-delay {site.crawl_delay:g}' if site.crawl_delay else ''}"
                  f"{' fault ' + site.faults.kind if site.faults.kind != 'up' else ''}")
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, control.stopped.set)
    await control.stopped.wait()
    await server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=300, help="how many sites (1-1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8000,
                        help="the port every site listens on (0: each its own)")
    parser.add_argument("--control-port", type=int, default=0)
    parser.add_argument("--hour", type=int, default=0, help="the hour to start at")
    parser.add_argument("--fault", action="append", default=[],
                        help="force a fault: INDEX=KIND@START+HOURS (down, slow, "
                             "throttled, flaky), e.g. 2=down@1+1")
    parser.add_argument("--alias", type=int, action="append", default=[],
                        help="give this site a www alias (besides those drawn)")
    parser.add_argument("--serve", action="store_true", help="serve until interrupted")
    parser.add_argument("--quiet", action="store_true", help="print only the ready line")
    args = parser.parse_args(argv)
    if not 1 <= args.sites <= 1000:
        parser.error("--sites must be between 1 and 1000")
    if not args.serve:
        parser.error("nothing to do: add --serve")
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
