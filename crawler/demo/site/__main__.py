"""``python -m crawler.demo.site --site demo|test --port 0``

Prints exactly one line first, the base URL (``http://127.0.0.1:PORT/``), so a
fixture can start this on port 0 and read where it landed; stops cleanly on
SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from ._content import SITE_NAMES
from ._server import SiteServer
from ._site import load_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo.site", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", choices=SITE_NAMES, default="demo")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)

    server = SiteServer(load_site(args.site), args.host, args.port, quiet=not args.verbose)
    stop = threading.Event()
    # serve in a thread: shutdown() from a signal handler in the serving thread would deadlock
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(server.base_url, flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    server.close_connections()
    return 0


if __name__ == "__main__":
    sys.exit(main())
