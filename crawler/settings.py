"""Scrapy settings for newsarchive: every default in one place, each with its reason.

Component settings carry one prefix each: ``ARCHIVE_*`` (where output goes),
``WARC_*`` (the recorder), ``EXTRACT_*`` (article extraction), ``NEWS_*`` (the
spider's discovery rules), ``PROGRESS_*`` (the progress line), ``REDIS_*``
(distributed crawls), ``EGRESS_*`` (the egress guard), ``METRICS_*`` (Prometheus
metrics). Anything here can be overridden with ``newsarchive crawl -s NAME=VALUE``
or ``scrapy crawl -s``.
"""

from __future__ import annotations

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Output -----------------------------------------------------------------
# The local archive root (--out). Layout: see DESIGN.md and archive/layout.py.
ARCHIVE_DIR = "archive-data"
# Job name (--job); empty means "derive from the first seed's host".
ARCHIVE_JOB = ""

# --- Object store (crawler.storage, archive.store.base) ---------------------------
# Where finished files go (--store): "s3://bucket/prefix" or "file:///path";
# empty keeps everything in ARCHIVE_DIR. Each WARC and JSONL part is uploaded on
# a background thread as soon as it is closed, the manifest last.
ARCHIVE_STORE = ""
# Keep local copies after a verified upload (by default the local dir is a spool).
ARCHIVE_STORE_KEEP_LOCAL = False
# Attempts per file before it is left pending for `newsarchive upload`, and the
# first pause between them (doubling). While the store is failing, later files
# get one attempt each, so an outage does not stall the end of a crawl.
ARCHIVE_STORE_ATTEMPTS = 4
ARCHIVE_STORE_RETRY_DELAY = 2.0
# Files above the threshold go up in parts of ARCHIVE_STORE_PART_SIZE bytes
# (S3 needs parts of at least 5 MiB, and at most 10,000 of them).
ARCHIVE_STORE_MULTIPART_THRESHOLD = 64 * 1024 * 1024
ARCHIVE_STORE_PART_SIZE = 32 * 1024 * 1024
# Scrapy's own AWS settings are reused: the endpoint of an S3-compatible server
# (--endpoint-url; else the AWS_ENDPOINT_URL environment variable) and the
# region. Credentials come from the standard AWS chain (environment, profile,
# instance role), never from settings, which Scrapy prints in its log.
AWS_ENDPOINT_URL = None
AWS_REGION_NAME = None
# With a store, the job's search index (search/JOB/) goes there too, as one tar per
# snapshot (archive.search.snapshot), so a new machine or a query's fresh cache
# downloads it instead of building it from every part. A new snapshot only once the
# index holds this share more parts than the last one (0.1: 10%; 0: every run that
# added a part): each is the whole index, and the parts a snapshot lacks are added
# from the parts by the query, so this bounds the store's copies, not correctness.
SEARCH_SNAPSHOT_ENABLED = True
SEARCH_SNAPSHOT_GROWTH = 0.1

# --- WARC recorder (crawler.middlewares.recorder.WarcRecorderMiddleware) ----------------
WARC_ENABLED = True
# IIPC file-name prefix; empty means the job name.
WARC_PREFIX = ""
# Rotate to a new file once the current one reaches this many bytes.
WARC_MAX_SIZE = 1_000_000_000
# zlib level per record. On real news pages (docs/performance.md) 4 costs 40% less
# CPU than zlib's default 6 for 4% more bytes; 1 halves it again for 19% more.
WARC_COMPRESS_LEVEL = 4
# Free-form fields added to every file's warcinfo record (e.g. {"operator": "..."}).
WARC_INFO = {}

# --- Incremental runs (middlewares.incremental, versions, archive.state) -----
# Each job keeps its state in ARCHIVE_DIR/state/JOB.sqlite: URLs fetched, their
# validators and digests, article versions. With this on, known pages are asked
# for with If-None-Match/If-Modified-Since, a 304 or byte-identical payload is
# archived as a WARC revisit record, and known articles are not fetched again
# until due. Off: this run fetches and archives everything in full (article
# records are still only written for new or changed content).
INCREMENTAL_ENABLED = True
# Known articles are re-checked while young: first INTERVAL seconds after a
# fetch, the wait multiplied by BACKOFF after each unchanged check, at most
# MAX_INTERVAL; none once older than MAX_AGE seconds (from publication, else
# first archiving). 0 for MAX_AGE: never re-check (a feed or sitemap that dates
# a change after the last check still brings an article back).
INCREMENTAL_RECHECK_MAX_AGE = 3 * 86_400
INCREMENTAL_RECHECK_INTERVAL = 3_600
INCREMENTAL_RECHECK_BACKOFF = 2.0
INCREMENTAL_RECHECK_MAX_INTERVAL = 86_400
# The spider sees the 304 of a conditional re-check (and counts it) instead of
# Scrapy logging it as an ignored error.
HTTPERROR_ALLOWED_CODES = [304]

# --- When sources are due, and how long a run may take (crawler.sourcedue) --------
# A source with ``every`` in the job file is crawled only by runs that start once that
# long has passed since it was last crawled whole; a run that is under way takes up
# sources as they fall due, checking this often (seconds).
SOURCES_DUE_CHECK_INTERVAL = 30.0
# Seconds a run may take (--max-duration, the job's max_duration); then it stops as
# on SIGTERM, leaving what is left to the next run. 0: no limit.
CRAWL_MAX_DURATION = 0

# --- Source health (crawler.extensions.articlehealth, archive.status.health) -----
# Each run compares every source with its own last ten runs of the job (articles
# found, shares of articles with a date and with authors, median body length,
# shares of pages that were errors or blocked); a sharp change is a drift alert:
# a problem of the run (exit status 1), a warning in its summary. False: the health
# figures are still in the run report, but no alerts (a job whose sources change
# on purpose, until their new habits are the baseline).
HEALTH_ALERTS_ENABLED = True

# --- Distributed crawling (crawler.distributed) ------------------------------
# A Redis server (--redis redis://HOST:PORT/DB) makes this run one worker of the
# job's shared crawl: one frontier and duplicate filter (scrapy-redis) and one
# incremental state for every worker started with the same job and Redis. Empty:
# a crawl of its own, with its state in ARCHIVE_DIR/state.
REDIS_URL = ""
# Every key starts with PREFIX:JOB: (one Redis can serve several jobs and programs).
REDIS_KEY_PREFIX = "newsarchive"
# A worker silent this many seconds is dead: its requests go back to the frontier.
# It says it lives every third of this; longer survives a slow network to Redis.
REDIS_WORKER_TIMEOUT = 30.0

# --- Page analysis and extraction (crawler.extract.pageanalysis, crawler.extract.pool) ---
# Each HTML page is parsed once, in a worker process: what kind of page it is,
# its links and, for an article, the extracted article. False: archive only —
# every page is still recorded in WARC files, but no article records are written.
EXTRACT_ENABLED = True
# Worker processes; 0 means one per CPU core.
EXTRACT_PROCESSES = 0
# Seconds one page may take before it is counted as failed and skipped (its
# worker is replaced).
EXTRACT_TIMEOUT = 60.0
# True: analyse pages in the crawl's own process, one at a time, with no time
# limit (debugging; a machine with a single core).
EXTRACT_INLINE = False

# --- Discovery (crawler.spiders.news.NewsSpider) ----------------------------
# URL query parameters that only track where a click came from; dropped so one
# article has one URL. Names ending in "*" are prefixes.
NEWS_TRACKING_PARAMS = [
    "utm_*", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
    "yclid", "igshid", "_ga", "_gl", "ref_src", "cmpid", "ocid", "icid", "ito", "at_medium",
    "at_campaign", "s_cid", "sr_share", "share", "pk_*", "mtm_*",
]
# Session ids in URLs (?sessionid=..., ;jsessionid=...) make one page look like
# endless new ones; dropped like tracking parameters.
NEWS_SESSION_PARAMS = [
    "jsessionid", "phpsessid", "sessionid", "session_id", "aspsessionid*", "cfid",
    "cftoken", "zenid", "osCsid",
]
# Links to files with these extensions are not followed (they are never articles
# and cost bandwidth); PDFs are kept because newsrooms publish documents.
NEWS_SKIP_EXTENSIONS = [
    "css", "js", "json", "ico", "jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "bmp",
    "tif", "tiff", "mp3", "mp4", "m4a", "m4v", "webm", "ogg", "wav", "avi", "mov", "mkv",
    "zip", "gz", "tgz", "bz2", "7z", "rar", "exe", "dmg", "iso", "woff", "woff2", "ttf",
    "eot", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
]
# URLs longer than this are crawler traps (session ids, faceted filters) in practice.
NEWS_MAX_URL_LENGTH = 2000
# Trap detection (crawler.discovery.traps): once this many listing pages of one URL shape in
# a row (endless calendar months, pagination past the end, facet combinations) led
# to nothing new, links of that shape are no longer followed. 0 turns it off.
NEWS_TRAP_PAGES = 15
# Largest sitemap read, after decompression (the protocol's own limit is 50 MB).
NEWS_SITEMAP_MAX_SIZE = 50 * 1024 * 1024
# Per-run caps, so that a huge or hostile index cannot flood one crawl: what is over
# them is left for later runs, not dropped (counted as news/sitemaps/entries_deferred
# and news/links/deferred). Known articles are skipped as known and do not count, so
# the next run admits the next ones. New requests one sitemap admits (the protocol
# allows 50,000 entries a sitemap); child sitemaps one sitemap index admits (those the
# job never fetched, or changed since, first); new links one page or feed admits (a
# news page has a few hundred). 0: no cap.
NEWS_SITEMAP_MAX_ENTRIES = 50_000
NEWS_SITEMAP_MAX_CHILDREN = 1_000
NEWS_MAX_LINKS_PER_PAGE = 1_000

# --- Politeness and safety ---------------------------------------------------
# Who is crawling; ARCHIVE_CONTACT (an email or URL) is appended when set.
ARCHIVE_CONTACT = ""
USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive/newsarchive)"
ROBOTSTXT_OBEY = True
# A robots.txt that answers 5xx or 429, or not at all, means "fetch nothing of this
# host for now" (RFC 9309): its requests wait, and it is asked again this many
# times, the first after ROBOTSTXT_RETRY_DELAY seconds, doubling (or the server's
# Retry-After when longer, up to RETRY_AFTER_MAX); then the host's requests are
# dropped (counted per source as robots_unreachable; the next run asks again). The
# copy of its robots.txt an earlier run kept (ARCHIVE_DIR/state/robots/JOB/) stands
# in at once when there is one. crawler.middlewares.robots
ROBOTSTXT_RETRY_TIMES = 3
ROBOTSTXT_RETRY_DELAY = 10.0
# Rights signals (X-Robots-Tag, <meta name="robots">, TDM reservations) are kept in
# each article record (robots, tdm_reservation, tdm_policy). A page that says
# noarchive: "archive" keeps its article record all the same (the archive is the
# institution's; the signal travels with it), "skip" writes none (its capture stays
# in the WARC, written before the page was read). crawler.pipelines
ROBOTS_NOARCHIVE = "archive"
CONCURRENT_REQUESTS = 32
# Scrapy starts this many tasks for the output of every response, however little
# it holds (100 by default: a hundred tasks per page). A page yields one article
# at most, and items of different pages are processed side by side anyway.
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# A news page over 20 MB is not an article; stop before it eats memory.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Honour Retry-After up to this many seconds; a server asking for longer is given up on.
RETRY_AFTER_MAX = 120.0
REDIRECT_MAX_TIMES = 5
# --- Egress guard (crawler.egress, crawler.middlewares.egress) -------------------
# A crawl connects only to public addresses and to the hosts its job names (seeds,
# feeds, sitemaps, allowed_domains; each on the port named, 80 and 443 when none is):
# loopback, private, link-local, carrier-grade NAT, multicast, reserved and cloud
# metadata addresses are refused, checked on the address actually connected to. The
# guard cannot be turned off. Further ranges (10.0.0.0/8), addresses or hosts, each
# with or without a port (127.0.0.5:9000, cdn.internal), that the crawl may connect to;
# an egress allowance only, never a widening of any source's scope. A proxy
# (HTTP_PROXY, meta["proxy"]) is used only when an entry here names it. In a job
# file: the top-level key egress_allow.
EGRESS_ALLOW = []
# Does the lookups the guard checks (Scrapy's default resolver: IPv4, cached,
# DNS_TIMEOUT); the guard itself is the TWISTED_DNS_RESOLVER below.
# "scrapy.resolver.CachingHostnameResolver" adds IPv6.
EGRESS_DNS_RESOLVER = "scrapy.resolver.CachingThreadedResolver"
TWISTED_DNS_RESOLVER = "crawler.egress.resolver.GuardedResolver"
# --- Per-host pace (crawler.middlewares.politeness.HostPolitenessMiddleware) -------------
# Each host (and port) is paced on its own; a source's politeness.delay and
# .concurrency in a job file replace DOWNLOAD_DELAY and
# CONCURRENT_REQUESTS_PER_DOMAIN for its hosts. robots.txt Crawl-delay is obeyed
# (one request at a time) up to this many seconds:
POLITENESS_MAX_CRAWL_DELAY = 30.0
# A 429 or 503 doubles the host's delay, to at least this (capped by
# AUTOTHROTTLE_MAX_DELAY); its Retry-After pauses the whole host.
POLITENESS_BACKOFF_DELAY = 1.0
# ... and every this many good answers in a row (not 429, not 5xx) halve the delay
# added, until the host is back at its own pace: a flaky minute slows a site down
# for a minute or two, not for the rest of the crawl.
POLITENESS_RECOVER_AFTER = 10
# A host still answering 429 or 503 after the crawl waited as asked this many times
# in a row is left for the next run: nothing more of it is fetched in this one (its
# requests stay in the job's frontier; skip reason host_throttled) and the run does
# not pause for it again and again. 0: keep asking until its retries are over.
POLITENESS_LEAVE_AFTER = 3
# Traps end: links deeper than this from a seed are not followed (a source's
# max_depth overrides it), and the whole crawl stops after this many responses
# (--max-pages; a source's max_pages caps that source alone).
DEPTH_LIMIT = 25
CLOSESPIDER_PAGECOUNT = 100_000
# Stops scheduling at the page cap, so requests already queued do not overshoot it.
SCHEDULER = "crawler.scheduler.CappedScheduler"
# One queue per host, served least-busy first: a slow host (a long Crawl-delay, a
# back-off) cannot fill the downloader with its waiting requests and starve the
# other sites of a job. Scrapy's choice for broad crawls.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# Queued requests wait on disk (SCHEDULER_DISK_QUEUE, in DIR/state/JOB.queue/, removed
# when the crawl ends), not in memory: a cap of 100,000 pages is 100,000 queued
# requests, a few hundred MB as objects. False: in memory, as Scrapy does by default.
SCHEDULER_ON_DISK = True

DOWNLOADER_MIDDLEWARES = {
    # First of all: a request to an address the job may not reach is refused before
    # robots.txt is asked for; and the job's policy is put in force in the resolver.
    "crawler.middlewares.egress.EgressGuardMiddleware": 50,
    # A redirect leaves a source's hosts for one hop at most (crawler/spiders/admission.py).
    "crawler.middlewares.redirectscope.RedirectScopeMiddleware": 60,
    # Right after Scrapy's HttpProxyMiddleware (750) has chosen a proxy.
    "crawler.middlewares.egress.ProxyGuardMiddleware": 760,
    # Scrapy's, with refusals counted per source, and RFC 9309's rules for a robots.txt
    # that fails (crawler.middlewares.robots).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.SourceRobotsTxtMiddleware": 100,
    # After robots.txt (100): sets each request's slot and that host's limits
    # (Crawl-delay known by then) before the downloader queues the request.
    "crawler.middlewares.politeness.HostPolitenessMiddleware": 560,
    # Replaces Scrapy's RetryMiddleware (550) to honour Retry-After.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.RetryAfterMiddleware": 550,
    # Below retry (550): counts, per source, answers and requests that got none once
    # retrying was over; a source whose site never answers fails (exit 1), the rest crawl.
    "crawler.middlewares.sourcehealth.SourceHealthMiddleware": 540,
    # Scrapy's, with what they drop counted (crawler.middlewares.limits): a body that
    # decompresses past DOWNLOAD_MAXSIZE (a gzip bomb), more than REDIRECT_MAX_TIMES
    # redirects in a row.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.limits.CountedHttpCompressionMiddleware": 590,
    # Between decompression (590) and retry (550): a challenge, consent wall or login
    # page that came with an error status goes to the spider as a blocked page, not
    # retried, not an HTTP error (crawler.middlewares.standin).
    "crawler.middlewares.standin.StandInMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.limits.CountedRedirectMiddleware": 600,
    # Conditional requests; records each fetch in the job's state right after the
    # recorder (950) has archived it.
    "crawler.middlewares.incremental.IncrementalMiddleware": 940,
    # Page requisites' caps and counts (crawler.middlewares.requisites): with Scrapy's
    # DownloaderStats (850), so a requisite's answer is counted where a page's is.
    "crawler.middlewares.requisites.RequisiteCapsMiddleware": 860,
    # Above HttpCompressionMiddleware (590) and RedirectMiddleware (600): sees every
    # response, redirects and errors included, with the body still content-encoded.
    "crawler.middlewares.recorder.WarcRecorderMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    # A full disk met in a callback (the job's state) stops the crawl: one line, exit 1.
    # Nearest the spider (Scrapy's own go up to 900), so it sees the exception first.
    "crawler.middlewares.diskfull.DiskFullStop": 950,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ArticleRecordPipeline": 300,
    "crawler.pipelines.ArticleWriterPipeline": 800,
}
EXTENSIONS = {
    # On SIGTERM/SIGINT, requests queued in the downloader are dropped (the next run
    # fetches them) rather than waited for, one polite delay after another.
    "crawler.extensions.shutdown.PromptShutdown": 100,
    # The crawl process's garbage collector (GC_YOUNG_THRESHOLD, below).
    "crawler.extensions.collector.CollectorPace": 50,
    "crawler.extensions.progress.ProgressReporter": 500,
    # Sources with `every` that fall due while the run is under way are taken up.
    "crawler.extensions.duesources.DueSources": 510,
    # --max-duration: at the budget, stop as on SIGTERM.
    "crawler.extensions.timebudget.TimeBudget": 520,
    # Scrapy's CloseSpider (0), with page requisites left out of --max-pages' count.
    "scrapy.extensions.closespider.CloseSpider": None,
    "crawler.extensions.pagecap.PageCountCloseSpider": 0,
    # Per source: dated and authored articles, and the median body length.
    "crawler.extensions.articlehealth.ArticleHealth": 550,
    # Only with REDIS_URL: heartbeat, dead workers' requests, when the shared crawl ends.
    "crawler.distributed.worker.DistributedWorker": 600,
    # Counts responses by status class (2xx...), crawl-wide and per source, for the run
    # report and the metrics.
    "crawler.extensions.statusclasses.StatusClassCounter": 200,
    "crawler.extensions.finisher.CrawlFinisher": 900,
    # Only with METRICS_PORT or METRICS_FILE. After the finisher (900): the file is
    # written from the final stats, once the run report is made.
    "crawler.extensions.metrics.MetricsExporter": 950,
}
# The crawl process's garbage collector (crawler.extensions.collector): once the engine
# has started, the start-up heap is frozen and a young collection runs every this many
# allocations, not Python's 700; the collector took ~0.2 ms of the crawl's CPU a light
# page (docs/performance.md#what-the-cores-allow). 0: Python's own settings.
GC_YOUNG_THRESHOLD = 10_000
# --- Page requisites (crawler.requisites; docs/crawling.md#page-requisites) ---------
# Which requisites of each archived HTML page to fetch: "all", "same-site" or "none"
# (empty: the job file's ``requisites``, default "all").
REQUISITES = ""
# Caps: new requisites asked for per page; bytes of requisites per page; requisites
# and their bytes per crawl; one requisite's size (larger ones are cut off).
REQUISITES_PER_PAGE = 150
REQUISITES_PAGE_BYTES = 30 * 1024 * 1024
REQUISITES_MAX = 50_000
REQUISITES_MAX_BYTES = 2 * 1024 * 1024 * 1024
REQUISITE_MAX_SIZE = 10 * 1024 * 1024
# Steps from the page a stylesheet is followed for: page -> stylesheet (1) -> imported
# stylesheet (2) -> font (3).
REQUISITES_CSS_DEPTH = 3
# A requisite archived by an earlier run is asked again (conditionally) this many days
# after its last fetch; until then later runs leave it (0: every run).
REQUISITES_RECHECK_DAYS = 7.0

# --- Progress ------------------------------------------------------------------
# Seconds between progress reports; on a terminal the line is redrawn in place.
PROGRESS_INTERVAL = 10.0

# --- Prometheus metrics (crawler.extensions.metrics; docs/metrics.md) ---------------
# A port to serve /metrics on while the crawl runs, for Prometheus to scrape. Off by
# default: a port is a choice for the machine (two crawls at once need two), and an
# open port is never opened unasked. 0 lets the system choose a free one (logged).
METRICS_PORT = None
# Where the endpoint listens: this machine only, unless told otherwise (0.0.0.0 for a
# Prometheus elsewhere); the figures name jobs and sources, and there is no login.
METRICS_ADDRESS = "127.0.0.1"
# A file (ending .prom, in node_exporter's --collector.textfile.directory) rewritten at
# the end of every run with the run's metrics: how cron jobs are watched. Off by
# default: only the operator knows where node_exporter looks.
METRICS_FILE = ""

# --- Framework ---------------------------------------------------------------
# Scrapy 2.19's remote-control extension opens a local code-execution port.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
# Breadth-first order: sections and their pages before deep links, so caps cut the tail.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
FEED_EXPORT_ENCODING = "utf-8"
