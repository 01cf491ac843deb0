"""The researchers' commands ``show``, ``replay`` and ``export-wacz`` (``query`` and
``diff`` have modules of their own).

Each is a few lines over ``archive`` functions a notebook can call too
(:mod:`archive.query.articles`, :mod:`archive.warc.capture`, :mod:`archive.replay.pywb`,
:mod:`archive.replay.wacz`). Problems are one line on stderr: exit 2 for a bad
option, filter or SQL statement (nothing written), 1 when what was asked for
is not in the archive.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from archive.terminal import terminal_text
from crawler.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    add_as_of_option,
    add_source_options,
    at_least,
    source_options,
    store_option_problem_line,
    terminal_json,
    usage_error,
)


def add_research_commands(commands: Any) -> None:
    show = commands.add_parser(
        "show", help="print one article and its raw HTTP capture",
        description=SHOW_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    show.add_argument("url", metavar="URL", help="the article's URL or canonical URL")
    add_source_options(show)
    show.add_argument("--body-chars", type=at_least(0), default=2000, metavar="N",
                      help="characters of the decoded body to print (default 2000; 0: none)")
    show.add_argument("--version", type=at_least(1), metavar="N",
                      help="show version N of the article (default: the latest)")
    show.add_argument("--versions", action="store_true",
                      help="list every version: capture time, digest and WARC pointer")
    show.add_argument("--json", action="store_true",
                      help="print one JSON object (article, warc and http) instead")
    add_as_of_option(show)
    show.set_defaults(handler=cmd_show)

    replay = commands.add_parser(
        "replay", help="serve the archive in pywb and print each article's replay URL",
        description=REPLAY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_source_options(replay)
    replay.add_argument("--port", type=at_least(1, at_most=65535), metavar="N",
                        help="port on 127.0.0.1 (default: a free one)")
    replay.add_argument("--limit", type=at_least(1), metavar="N",
                        help="print the replay URLs of at most N articles (newest first)")
    replay.add_argument("--pywb", type=Path, metavar="DIR",
                        help="the virtual environment with pywb (default: $NEWSARCHIVE_PYWB, "
                        "else .venv-pywb beside newsarchive's own)")
    replay.set_defaults(handler=cmd_replay)

    export = commands.add_parser(
        "export-wacz", help="package a job or one crawl as a WACZ file",
        description=EXPORT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_source_options(export)
    export.add_argument("--crawl", metavar="CRAWL_ID",
                        help="only this crawl (the end of manifests/JOB-CRAWLID.json)")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.wacz",
                        help="the WACZ file to write")
    export.add_argument("--title", metavar="TEXT", help="the package's title "
                        "(default: the job, and the crawl)")
    export.set_defaults(handler=cmd_export_wacz)


SHOW_HELP = """\
Print one article's record and its raw capture: the WARC response record it
was extracted from (found through the record's warc pointer), with the HTTP
status line and headers as the server sent them, and the head of the body
with its content encoding (gzip, br) undone. The latest version is shown;
--versions lists every version instead (see also `newsarchive diff`).

examples:
  newsarchive show https://news.example/2024/06/20/harbour-ferry-returns/
  newsarchive show https://news.example/a/ --store s3://news-archive/crawls --json
  newsarchive show https://news.example/a/ --versions
  newsarchive show https://news.example/a/ --as-of 20240620T090000Z

exit status: 0 shown; 1 no such article (or it is suppressed), or its capture
cannot be read; 2 bad usage.
"""


REPLAY_HELP = """\
Serve the archive's WARC files in pywb on 127.0.0.1 (one collection per job,
read in place through their CDXJ indexes) and print each article's replay URL:
the very capture it was extracted from, in pywb's frame with the capture's
date and a calendar of other captures. Runs until Ctrl-C.

pywb lives in its own virtual environment (its pinned redis client conflicts
with scrapy-redis): `make pywb` creates .venv-pywb (`make test` does too).

examples:
  newsarchive replay
  newsarchive replay --out /srv/archive --job example --port 8090 --limit 20
  newsarchive replay --store s3://news-archive/crawls --endpoint-url http://127.0.0.1:8333 \
      --job example

exit status: 0 stopped with Ctrl-C; 2 bad usage, pywb missing, or nothing to
replay.
"""

EXPORT_HELP = """\
Package a job's WARC files (every crawl, or one with --crawl) as a WACZ 1.1.1
file: the WARCs untouched, one merged CDXJ index, and pages/pages.jsonl with
one page per extracted article (URL, capture time, title, text). Open it in
ReplayWeb.page, or check it with `wacz validate -f FILE.wacz`.

examples:
  newsarchive export-wacz --job example -o example.wacz
  newsarchive export-wacz --job example --crawl 20240620T090000Z -o june20.wacz
  newsarchive export-wacz --store s3://news-archive/crawls --job example -o example.wacz

exit status: 0 written; 2 bad usage, or nothing to export (nothing written).
"""


def cmd_show(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError, CaptureError
    from archive.query.articles import check_article_url, open_articles
    from archive.warc.capture import read_capture

    if args.versions:
        from crawler.cli.diff import show_versions
        return show_versions(args)
    if problem := store_option_problem_line(args):
        return usage_error("show", problem)
    try:
        check_article_url(args.url, "newsarchive query")
    except ArchiveError as exc:
        return usage_error("show", str(exc))
    try:
        with open_articles(args.out, **source_options(args), as_of=args.as_of,
                           all_versions=args.version is not None) as query:
            found, store = query.find_url(args.url, args.version), query.store
            hidden = query.suppression_for(args.url) if not found else None
    except ArchiveError as exc:
        return usage_error("show", str(exc))
    if hidden is not None:
        print(terminal_text(f"newsarchive show: {args.url} is suppressed: ") + hidden.summary(),
              file=sys.stderr)
        return EXIT_INCOMPLETE
    if not found:
        which = f"version {args.version} of " if args.version else ""
        as_of = f" as of {args.as_of}" if args.as_of else ""
        print(f"newsarchive show: no {which}article with URL {args.url} in "
              f"{args.store or args.out}{as_of}; look for it with "
              f"`newsarchive query --url-contains ...`", file=sys.stderr)
        return EXIT_INCOMPLETE
    article = found[0]
    if others := sorted({row["job"] for row in found} - {article["job"]}):
        print(f"newsarchive show: showing job {article['job']}; the URL is also in job "
              f"{', '.join(others)} (choose with --job)", file=sys.stderr)
    try:
        capture = read_capture(article["warc"] or {}, root=args.out, store=store)
    except CaptureError as exc:
        print(terminal_json(article))
        print(f"newsarchive show: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    if args.json:
        print(terminal_json({"article": article, "warc": dict(capture.warc_headers),
                     "http": {"status": capture.status_line,
                              "headers": capture.http_headers,
                              "content_encoding": capture.content_encoding,
                              "charset": capture.charset,
                              "body": capture.text[:args.body_chars]}}))
        return EXIT_OK
    # What the page and its server sent is printed with its controls escaped: a
    # hostile title or header must not rewrite the terminal (archive.terminal).
    print(terminal_json(article))
    print(f"\n--- capture: {capture.file} at offset {capture.offset} ({capture.length} bytes)")
    print(_header_lines(capture.warc_headers))
    print()
    print(terminal_text(capture.status_line))
    print(_header_lines(capture.http_headers))
    if args.body_chars:
        text = capture.text
        undone = f"decoded from {capture.content_encoding}, " if capture.content_encoding else ""
        print(terminal_text(f"\n--- body ({undone}{capture.charset}; "
                            f"{min(len(text), args.body_chars)} of {len(text)} characters)",
                            lines=True))
        print(terminal_text(text[:args.body_chars], lines=True))
    return EXIT_OK


def _header_lines(headers: Any) -> str:
    return "\n".join(terminal_text(f"{name}: {value}") for name, value in headers)


def cmd_replay(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError
    from archive.query.articles import open_articles
    from archive.query.sources import default_cache, stores_in_manifests
    from archive.query.takedowns import hidden_urls
    from archive.replay._collections import jobs_with_warcs
    from archive.replay.pywb import ReplayServer, article_links
    from archive.replay.selection import select_warcs
    from archive.store.base import StoreOptions, open_store

    if problem := store_option_problem_line(args):
        return usage_error("replay", problem)
    server = None
    # A service manager stops with SIGTERM: stop pywb with us, as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        root, jobs = args.out, args.job.split(",") if args.job else None
        if args.store:
            # pywb reads files, so a store's WARCs (and CDXJ) are fetched into the cache.
            store = open_store(args.store, StoreOptions(endpoint_url=args.endpoint_url))
            root = args.cache or default_cache(store.uri)
            chosen = select_warcs(args.out, store, root, job=args.job)
            jobs = [chosen.job]
        elif not jobs_with_warcs(args.out) \
                and (stores := stores_in_manifests(args.out)):
            return usage_error("replay", f"{args.out} holds no WARC files: its crawls sent them to "
                          f"{stores[0]}; add --store {stores[0]} (and --endpoint-url)")
        jobs = jobs or jobs_with_warcs(args.out)
        with open_articles(args.out, **{**source_options(args), "job": jobs or None}) as query:
            rows = list(query.select(["job", "url", "title", "fetched_at", "warc"],
                                     args.limit).rows())
            # Suppressed articles: pywb answers for them as if never captured.
            excluded = hidden_urls(query, jobs)
        server = ReplayServer(root, jobs=jobs or None, port=args.port, pywb=args.pywb,
                              excluded=excluded).start()
        print(f"Replaying {', '.join(server.collections)} at {server.base_url}/ "
              "(pywb; Ctrl-C stops it)", flush=True)
        for job in server.collections:
            for link in article_links(server, job, [r for r in rows if r["job"] == job]):
                print(f"{terminal_text(link.title)}\n  {terminal_text(link.replay_url)}",
                      flush=True)
        server.wait()
    except ArchiveError as exc:
        return usage_error("replay", str(exc))
    except KeyboardInterrupt:
        print("Replay stopped.", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
        signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_export_wacz(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError, QueryError
    from archive.query.articles import open_articles
    from archive.query.cachelimit import trim_after_use
    from archive.query.sources import default_cache
    from archive.query.takedowns import hidden_urls
    from archive.replay.selection import select_warcs
    from archive.replay.wacz import export_wacz
    from archive.store.base import StoreOptions, open_store

    if problem := store_option_problem_line(args):
        return usage_error("export-wacz", problem)
    if args.job and "," in args.job:
        return usage_error("export-wacz", "--job takes one job: a WACZ packages one job or crawl")
    try:
        store = (open_store(args.store, StoreOptions(endpoint_url=args.endpoint_url))
                 if args.store else None)
        cache = args.cache or (default_cache(store.uri) if store else args.out)
        chosen = select_warcs(args.out, store, cache, job=args.job, crawl_id=args.crawl)
        title = args.title or f"newsarchive: {chosen.label}"
        try:
            query = open_articles(args.out, **{**source_options(args), "job": chosen.job},
                                  all_versions=True)
        except QueryError:
            # An archive-only job (EXTRACT_ENABLED=false) has WARCs and no articles:
            # its package has an empty page list.
            summary = export_wacz(chosen.warcs, [], args.output, title=title)
            if store is not None:  # open_articles trims the cache; here nothing did
                trim_after_use(cache, args.cache_max)
        else:
            with query:
                pages = query.select(["url", "title", "text", "fetched_at", "warc"]).rows()
                # Suppressed articles are not pages, and their records not in the package.
                leave_out = hidden_urls(query, [chosen.job])[chosen.job]
                summary = export_wacz(chosen.warcs, pages, args.output, title=title,
                                      leave_out=leave_out)
    except ArchiveError as exc:
        return usage_error("export-wacz", str(exc))
    print(f"Wrote {summary.path}: {summary.warcs} WARC file(s), {summary.pages} page(s), "
          f"{summary.size / 1e6:.2f} MB")
    return EXIT_OK


