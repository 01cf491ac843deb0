"""What the extraction pool's fork server loads before it forks a single worker.

multiprocessing imports this module in the fork server only
(``set_forkserver_preload``, see crawler.extract.pool); nothing else should. The
workers are forked from that server, so trafilatura, lxml, the language model
(~75 MB of arrays) and the caches the first extraction fills are in memory once,
shared copy-on-write by every worker, instead of once per worker: PSS divides a
shared page among its sharers. ``gc.freeze()`` keeps them shared: a collection in
a worker would otherwise write to the header of every object it looked at, and
the kernel would copy each page it wrote to.

The server belongs to the crawl as its workers do: it ignores SIGINT and SIGTERM,
and the kernel kills it when the crawl dies (each worker in turn dies with it).
Had the crawl died before that was set up, the server stops by itself when it
finds the crawl's end of its pipe closed.
"""

from __future__ import annotations

import gc
import os

from crawler.extract.pool import belong_to_parent, warm_up

#: The fork server's pid: the parent a forked worker checks it still has.
SERVER_PID = os.getpid()

belong_to_parent()
warm_up()
gc.collect()
gc.freeze()
