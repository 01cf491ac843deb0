"""The researchers' commands: ``query``, ``show``, ``replay`` and ``export-wacz``.

Each is a few lines over ``archive`` functions a notebook can call too
(:mod:`archive.query.articles`, :mod:`archive.warc.capture`, :mod:`archive.replay.pywb`,
:mod:`archive.replay.wacz`). Problems are one line on stderr: exit 2 for a bad
option, filter or SQL statement (nothing written), 1 when what was asked for
is not in the archive.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from typing import Any

from archive.terminal import json_safe, terminal_text
from crawler.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    add_archive_options,
    add_store_options,
    at_least,
    store_option_problem_line,
)

# What a table shows when no --fields are given: a record has too much for a terminal.
TABLE_FIELDS = ["published", "title", "authors", "url"]


def add_research_commands(commands: Any) -> None:
    query = commands.add_parser(
        "query", help="find articles by date, author, language, text or SQL",
        description=QUERY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_source_options(query)
    query.add_argument("--since", metavar="DATE",
                       help="published on or after this day (YYYY-MM-DD, as the page dates "
                       "it) or at/after this ISO 8601 time")
    query.add_argument("--until", metavar="DATE",
                       help="published on or before this day, or before this time")
    query.add_argument("--author", metavar="TEXT",
                       help="an author's name contains TEXT (any case, any accents)")
    query.add_argument("--language", metavar="CODE", help="language code(s): en or en,de")
    query.add_argument("--text", metavar="PHRASE",
                       help="title or body contains PHRASE (any case, any accents)")
    query.add_argument("--regex", metavar="PATTERN",
                       help="title or body matches PATTERN (RE2 syntax, any case)")
    query.add_argument("--url-contains", metavar="TEXT", help="URL contains TEXT")
    query.add_argument("--all-versions", action="store_true",
                       help="every captured version, not only each article's latest")
    query.add_argument("--changed", action="store_true",
                       help="only articles captured in more than one version")
    query.add_argument("--fields", metavar="A,B", help="fields to output (default: all; "
                       "for --format table: " + ",".join(TABLE_FIELDS) + ")")
    query.add_argument("--limit", type=at_least(1), metavar="N", help="at most N rows")
    query.add_argument("--sql", metavar="SELECT", help="SQL over the view `articles` "
                       "(the filters above narrow it)")
    query.add_argument("--format", metavar="FORMAT",
                       help="jsonl, csv, table or parquet (default: from -o's extension, "
                       "else jsonl)")
    query.add_argument("-o", "--output", type=Path, metavar="FILE",
                       help="write to FILE instead of stdout (needed for parquet)")
    query.set_defaults(handler=cmd_query)

    show = commands.add_parser(
        "show", help="print one article and its raw HTTP capture",
        description=SHOW_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    show.add_argument("url", metavar="URL", help="the article's URL or canonical URL")
    _add_source_options(show)
    show.add_argument("--body-chars", type=at_least(0), default=2000, metavar="N",
                      help="characters of the decoded body to print (default 2000; 0: none)")
    show.add_argument("--version", type=at_least(1), metavar="N",
                      help="show version N of the article (default: the latest)")
    show.add_argument("--versions", action="store_true",
                      help="list every version: capture time, digest and WARC pointer")
    show.add_argument("--json", action="store_true",
                      help="print one JSON object (article, warc and http) instead")
    show.set_defaults(handler=cmd_show)

    replay = commands.add_parser(
        "replay", help="serve the archive in pywb and print each article's replay URL",
        description=REPLAY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_source_options(replay)
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
    _add_source_options(export)
    export.add_argument("--crawl", metavar="CRAWL_ID",
                        help="only this crawl (the end of manifests/JOB-CRAWLID.json)")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.wacz",
                        help="the WACZ file to write")
    export.add_argument("--title", metavar="TEXT", help="the package's title "
                        "(default: the job, and the crawl)")
    export.set_defaults(handler=cmd_export_wacz)


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    add_archive_options(parser)
    add_store_options(parser)
    parser.add_argument("--job", metavar="NAME", help="only this job (comma-separated: several)")
    parser.add_argument("--cache", type=Path, metavar="DIR",
                        help="where files fetched from --store are kept "
                        "(default: ~/.cache/newsarchive/)")


QUERY_HELP = """\
Find articles in the archive (a local --out DIR, or --store URI) and print
them as JSON Lines, CSV, a table, or write Parquet. By default each article's
latest version; --all-versions for every capture. Filters combine (AND).

examples:
  newsarchive query --since 2024-06-01 --until 2024-06-30 --author ruiz --format table
  newsarchive query --text "ferry" --language en --format csv -o ferry.csv
  newsarchive query --regex "flood(s|ing)?" --fields url,title,published
  newsarchive query --job example --format parquet -o example.parquet
  newsarchive query --changed --fields url,version,fetched_at --format table
  newsarchive query --sql "SELECT language, count(*) AS n FROM articles GROUP BY 1"
  newsarchive query --store s3://news-archive/crawls --endpoint-url http://127.0.0.1:8333 \\
      --since 2024-06-01 --format table

Fields: url, canonical_url, job, source, title, text, authors, published,
modified, language, sitename, section, description, tags, image, fetched_at,
status, payload_digest, warc, version, previous, and published_at (published
as a UTC timestamp, for sorting and SQL). Rows come newest published first.

exit status: 0 done (also when nothing matched); 2 bad option, filter or SQL.
"""

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

exit status: 0 shown; 1 no such article, or its capture cannot be read;
2 bad usage.
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


def cmd_query(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError
    from archive.query.articles import open_articles
    from archive.query.output import format_for, write_result

    try:
        fmt = format_for(args.format, args.output)
    except ArchiveError as exc:
        return _usage("query", str(exc))
    if fmt == "parquet" and args.output is None:
        return _usage("query", "--format parquet writes a file: add -o FILE.parquet")
    if problem := store_option_problem_line(args):
        return _usage("query", problem)
    if args.sql is not None and args.fields is not None:
        return _usage("query", "--fields does not apply to --sql: name the columns in the "
                      "SELECT")
    fields = args.fields.split(",") if args.fields is not None else None
    if fields is None and fmt == "table" and args.sql is None:
        fields = TABLE_FIELDS + (["version", "fetched_at"] if args.all_versions else [])
    try:
        with open_articles(args.out, **_source(args), since=args.since, until=args.until,
                           author=args.author, language=args.language, text=args.text,
                           regex=args.regex, url_contains=args.url_contains,
                           all_versions=args.all_versions, changed=args.changed) as query:
            result = (query.sql(args.sql, args.limit) if args.sql is not None
                      else query.select(fields, args.limit))
            count = write_result(result, fmt, args.output)
    except ArchiveError as exc:
        return _usage("query", str(exc))
    if args.output is not None:
        print(f"Wrote {count} row{'s' if count != 1 else ''} to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from archive.errors import ArchiveError, CaptureError
    from archive.query.articles import open_articles
    from archive.warc.capture import read_capture

    if args.versions:
        from crawler.cli.diff import show_versions
        return show_versions(args)
    if problem := store_option_problem_line(args):
        return _usage("show", problem)
    if not args.url.strip().lower().startswith(("http://", "https://")):
        return _usage("show", f"{args.url!r} is not a URL: give the article's http:// or "
                      "https:// address (find it with `newsarchive query`)")
    try:
        with open_articles(args.out, **_source(args),
                           all_versions=args.version is not None) as query:
            found, store = query.find_url(args.url, args.version), query.store
    except ArchiveError as exc:
        return _usage("show", str(exc))
    if not found:
        which = f"version {args.version} of " if args.version else ""
        print(f"newsarchive show: no {which}article with URL {args.url} in "
              f"{args.store or args.out}; look for it with "
              f"`newsarchive query --url-contains ...`", file=sys.stderr)
        return EXIT_INCOMPLETE
    article = found[0]
    if others := sorted({row["job"] for row in found} - {article["job"]}):
        print(f"newsarchive show: showing job {article['job']}; the URL is also in job "
              f"{', '.join(others)} (choose with --job)", file=sys.stderr)
    try:
        capture = read_capture(article["warc"] or {}, root=args.out, store=store)
    except CaptureError as exc:
        print(_json(article))
        print(f"newsarchive show: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    if args.json:
        print(_json({"article": article, "warc": dict(capture.warc_headers),
                     "http": {"status": capture.status_line,
                              "headers": capture.http_headers,
                              "content_encoding": capture.content_encoding,
                              "charset": capture.charset,
                              "body": capture.text[:args.body_chars]}}))
        return EXIT_OK
    # What the page and its server sent is printed with its controls escaped: a
    # hostile title or header must not rewrite the terminal (archive.terminal).
    print(_json(article))
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
    from archive.replay._collections import jobs_with_warcs
    from archive.replay.pywb import ReplayServer, article_links
    from archive.replay.selection import select_warcs
    from archive.store.base import StoreOptions, open_store

    if problem := store_option_problem_line(args):
        return _usage("replay", problem)
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
            return _usage("replay", f"{args.out} holds no WARC files: its crawls sent them to "
                          f"{stores[0]}; add --store {stores[0]} (and --endpoint-url)")
        server = ReplayServer(root, jobs=jobs, port=args.port, pywb=args.pywb).start()
        print(f"Replaying {', '.join(server.collections)} at {server.base_url}/ "
              "(pywb; Ctrl-C stops it)", flush=True)
        with open_articles(args.out, **{**_source(args), "job": list(server.collections)}) \
                as query:
            rows = list(query.select(["job", "url", "title", "fetched_at", "warc"],
                                     args.limit).rows())
        for job in server.collections:
            for link in article_links(server, job, [r for r in rows if r["job"] == job]):
                print(f"{terminal_text(link.title)}\n  {terminal_text(link.replay_url)}",
                      flush=True)
        server.wait()
    except ArchiveError as exc:
        return _usage("replay", str(exc))
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
    from archive.query.sources import default_cache
    from archive.replay.selection import select_warcs
    from archive.replay.wacz import export_wacz
    from archive.store.base import StoreOptions, open_store

    if problem := store_option_problem_line(args):
        return _usage("export-wacz", problem)
    if args.job and "," in args.job:
        return _usage("export-wacz", "--job takes one job: a WACZ packages one job or crawl")
    try:
        store = (open_store(args.store, StoreOptions(endpoint_url=args.endpoint_url))
                 if args.store else None)
        cache = args.cache or (default_cache(store.uri) if store else args.out)
        chosen = select_warcs(args.out, store, cache, job=args.job, crawl_id=args.crawl)
        title = args.title or f"newsarchive: {chosen.label}"
        try:
            query = open_articles(args.out, **{**_source(args), "job": chosen.job},
                                  all_versions=True)
        except QueryError:
            # An archive-only job (EXTRACT_ENABLED=false) has WARCs and no articles:
            # its package has an empty page list.
            summary = export_wacz(chosen.warcs, [], args.output, title=title)
        else:
            with query:
                pages = query.select(["url", "title", "text", "fetched_at", "warc"]).rows()
                summary = export_wacz(chosen.warcs, pages, args.output, title=title)
    except ArchiveError as exc:
        return _usage("export-wacz", str(exc))
    print(f"Wrote {summary.path}: {summary.warcs} WARC file(s), {summary.pages} page(s), "
          f"{summary.size / 1e6:.2f} MB")
    return EXIT_OK


def _source(args: argparse.Namespace) -> dict[str, Any]:
    return {"store": args.store, "endpoint_url": args.endpoint_url, "cache": args.cache,
            "job": args.job}


def _json(value: Any) -> str:
    """JSON for a terminal: no page text in it may steer one (archive.terminal)."""
    return json_safe(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _usage(command: str, message: str) -> int:
    print(f"newsarchive {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE

