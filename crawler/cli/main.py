"""The ``newsarchive`` command: the composition root.

It runs crawls itself and hands every other command to library functions that a
notebook can call too. Errors are one line on stderr and a non-zero exit:
2 for what a retry cannot fix (bad usage or configuration, nothing written), 1
when a crawl ran but is incomplete (nothing lost), 75 busy or unable to start
for now.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from crawler.cli.common import (
    EXIT_BUSY,
    EXIT_INCOMPLETE,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    add_archive_options,
    add_keep_local,
    add_store_options,
    at_least,
    duration,
    open_checked_store,
)
from crawler.cli.dashboard import add_dashboard_command
from crawler.cli.diff import add_diff_command
from crawler.cli.duplicates import add_duplicates_command
from crawler.cli.jobs import add_jobs_command
from crawler.cli.prune import add_prune_command
from crawler.cli.query import add_query_command
from crawler.cli.research import add_research_commands
from crawler.cli.status import add_status_command
from crawler.cli.suppress import add_suppress_command
from crawler.cli.workers import add_workers_command
from crawler.requisites.policy import MODES as REQUISITE_MODES


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="newsarchive", description=DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    crawl = commands.add_parser(
        "crawl", help="crawl news sites into WARC files and article JSON Lines",
        description=CRAWL_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    crawl.add_argument("job_file", nargs="?", metavar="JOB.toml",
                       help="a job file (see jobs/); or give --seed URLs instead")
    crawl.add_argument("--seed", action="append", default=[], metavar="URL",
                       help="a home or section page to start from (repeatable)")
    crawl.add_argument("--out", type=Path, metavar="DIR",
                       help="local archive directory (default: the job file's out, "
                       "else ./archive-data)")
    add_store_options(crawl)
    add_keep_local(crawl)
    crawl.add_argument("--job", metavar="NAME",
                       help="job name for file names and paths (default: the job file's "
                       "name, else its file name, else the first seed's host)")
    crawl.add_argument("--max-pages", type=at_least(1), metavar="N",
                       help="stop after N pages (default: the job file's max_pages, "
                       "else CLOSESPIDER_PAGECOUNT, 100000); page requisites do not count")
    crawl.add_argument("--max-duration", type=duration, metavar="TIME",
                       help="stop after TIME (e.g. 50m, 1h; seconds without a unit) as on "
                       "SIGTERM, leaving the rest to the next run (default: the job "
                       "file's max_duration, else none)")
    crawl.add_argument("--requisites", choices=REQUISITE_MODES,
                       help="which page requisites (stylesheets, images, fonts, scripts) "
                       "to fetch: all (default: the job file's requisites), same-site, "
                       "none")
    crawl.add_argument("--redis", metavar="URL",
                       help="run as one worker of the job's distributed crawl, sharing its "
                       "frontier and state with every worker given the same job and Redis "
                       "(redis://HOST:PORT/DB; default: the job file's redis)")
    crawl.add_argument("-s", dest="settings", action="append", default=[],
                       metavar="NAME=VALUE", help="override a Scrapy setting (repeatable)")
    crawl.set_defaults(handler=cmd_crawl)

    demo = commands.add_parser(
        "demo", help="crawl the bundled demo news site and show what was archived",
        description=DEMO_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_archive_options(demo)
    demo.set_defaults(handler=cmd_demo)

    upload = commands.add_parser(
        "upload", help="send files still waiting in the local directory to the store",
        description=UPLOAD_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_archive_options(upload)
    add_store_options(upload, required=True)
    add_keep_local(upload)
    upload.set_defaults(handler=cmd_upload)

    verify = commands.add_parser(
        "verify", help="check every object the store's manifests list",
        description=VERIFY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_store_options(verify, required=True)
    verify.add_argument("--job", metavar="NAME", help="only the crawls of this job")
    verify.set_defaults(handler=cmd_verify)

    add_jobs_command(commands)
    add_query_command(commands)
    add_research_commands(commands)
    add_diff_command(commands)
    add_suppress_command(commands)
    add_prune_command(commands)
    add_duplicates_command(commands)
    add_workers_command(commands)
    add_status_command(commands)
    add_dashboard_command(commands)
    return parser


DESCRIPTION = """\
newsarchive: crawl news sites, keep a faithful WARC archive of what was on the
wire, extract every article as JSON, and store it all in object storage.
"""

CRAWL_HELP = """\
Crawl news sites: follow sections, pagination, feeds and sitemaps from a job
file's sources (or from --seed URLs), record every HTTP exchange in WARC files
and write one JSON line per article. Options given here win over the job file.

examples:
  newsarchive crawl jobs/example.toml
  newsarchive crawl jobs/example.toml --out /srv/archive --max-pages 500
  newsarchive crawl jobs/example.toml --out /srv/archive --max-duration 55m
  newsarchive crawl --seed https://news.example/ --seed https://news.example/business/ \\
      --out archive-data --job example --max-pages 500 -s DOWNLOAD_DELAY=1

With --store, each WARC file and article part is uploaded as soon as it is
finished, verified (size, SHA-256, ETag) and then removed locally; the manifest
goes last. Files the store did not take wait in --out for the next run with
the same --store (or `newsarchive upload`).

example:
  AWS_PROFILE=archive newsarchive crawl --seed https://news.example/ \\
      --store s3://news-archive/crawls --endpoint-url http://127.0.0.1:8333

Run it again (from cron) and it is incremental: known articles are not fetched
again until due for a re-check, unchanged pages become WARC revisit records,
changed articles a new version. A run killed mid-crawl is recovered by the next.
Each run writes a report next to its manifest (manifests/JOB-CRAWLID.report.json).

A seed host that does not answer fails its source alone (the others crawl);
a store that is down at the start is crawled through: the files wait in --out
and the next run with the same --store sends them. The job's state goes to the
store too, so a new machine with an empty --out goes on with the job.

exit status: 0 done; 1 ran, but incomplete (a source's site never answered, the
store or Redis was down, stopped by a signal, something could not be written);
nothing is lost and the next run picks up; 2 only what a retry cannot fix (bad
usage, job file or settings, wrong credentials, a missing bucket; nothing
written); 75 busy or unable to start for now (another run of this job or
`newsarchive upload` is using --out, Redis is down): try later.
"""

DEMO_HELP = """\
Serve the bundled demo news site and a local S3 server (SeaweedFS) on
127.0.0.1, crawl the site into the store and print a summary: pages fetched,
articles extracted, WARC files, where the JSON Lines are, the bucket's contents
and a sample article read back from it. The server stops when the demo ends.

example:
  newsarchive demo --out /tmp/demo-archive
"""


UPLOAD_HELP = """\
Send everything still waiting in the local archive directory to the store:
files a crawl could not upload (store down, credentials expired), files of
crawls run without --store, and files left by a killed crawl. Each crawl's
manifest goes last, once all its files are in. Safe to repeat: objects already
in the store and identical are recognised and not sent again.

example:
  newsarchive upload --out archive-data --store s3://news-archive/crawls

exit status: 0 all sent; 1 some files still wait; 2 bad usage or store
configuration; 75 a crawl is running in --out.
"""

VERIFY_HELP = """\
Re-check every object listed in the store's crawl manifests: present, of the
recorded size, and with the recorded SHA-256 (each object is read in full).

example:
  newsarchive verify --store s3://news-archive/crawls --job example

exit status: 0 all intact; 1 something missing or corrupt; 2 bad usage or store
configuration.
"""


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.extract.pool import start_fork_server

    # First: the extraction workers' fork server loads the extractor (0.6 s) on the
    # other core while this process imports Scrapy and builds the crawl, and is ready
    # by the first page. The crawl's pool stops it when it closes. A run that ends
    # without a crawl (bad usage, nothing due) just exits, without waiting for it: the
    # server ends when it finds this process gone.
    start_fork_server()
    from crawler.extensions.summary import summary_lines
    from crawler.run import BusyError, NothingDue, UsageError, parse_setting_overrides, run_crawl

    try:
        overrides = parse_setting_overrides(args.settings)
        if args.requisites:
            overrides["REQUISITES"] = args.requisites
        if args.max_duration:
            overrides["CRAWL_MAX_DURATION"] = args.max_duration
        result = run_crawl(args.seed, args.out, job_file=args.job_file, job=args.job,
                           max_pages=args.max_pages,
                           overrides=overrides, store=args.store,
                           endpoint_url=args.endpoint_url, keep_local=args.keep_local,
                           redis_url=args.redis)
    except UsageError as exc:
        print(f"newsarchive crawl: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BusyError as exc:
        print(f"newsarchive crawl: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except NothingDue as exc:
        print(f"newsarchive crawl: {exc}")
        return EXIT_OK
    print("\n".join(summary_lines(result.stats)))
    if manifest := result.stats.get("manifest/path"):
        print(f"Manifest:             {manifest}")
    if report := result.stats.get("report/path"):
        print(f"Run report:           {report}")
    if not result.ok:
        print("newsarchive crawl: incomplete: " + "; ".join(result.problems), file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo.command import run_demo
    from crawler.run import UsageError

    try:
        return run_demo(args.out)
    except UsageError as exc:
        print(f"newsarchive demo: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def cmd_upload(args: argparse.Namespace) -> int:
    from archive.errors import StoreError
    from archive.store.spool import upload_pending
    from archive.store.spoollock import SpoolBusyError
    from archive.store.upload import Uploader, UploadOutcome, UploadState

    if not any((args.out / folder).is_dir() for folder in ("manifests", "warc", "articles")):
        print(f"newsarchive upload: error: {args.out} is not an archive directory "
              "(give the --out a crawl wrote to)", file=sys.stderr)
        return EXIT_USAGE
    store = open_checked_store("upload", args)
    if store is None:
        return EXIT_USAGE
    try:
        uploader = Uploader(store, args.out, keep_local=args.keep_local)
    except StoreError as exc:
        print(f"newsarchive upload: error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    def show(outcome: UploadOutcome) -> None:
        if outcome.state == UploadState.UPLOADED and outcome.digests is not None:
            print(f"  sent     {outcome.key}  ({outcome.digests.size / 1e6:.2f} MB)", flush=True)
        elif outcome.state == UploadState.PENDING:
            print(f"  waiting  {outcome.key}", flush=True)

    try:
        report = upload_pending(args.out, uploader, on_outcome=show)
    except SpoolBusyError as exc:
        print(f"newsarchive upload: {exc}; try again when the crawl has finished "
              "(it uploads its own files)", file=sys.stderr)
        return EXIT_BUSY
    except StoreError as exc:
        print(f"newsarchive upload: error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    uploaded = report.count(UploadState.UPLOADED)
    print(f"Uploaded {uploaded} file(s), {report.bytes_uploaded / 1e6:.2f} MB "
          f"to {store.uri}; {report.count(UploadState.PRESENT)} already there; "
          f"{report.manifests_completed} crawl manifest(s) complete in the store")
    for problem in report.problems:
        print(f"newsarchive upload: {problem}", file=sys.stderr)
    if report.unfinished:
        print(f"newsarchive upload: {len(report.unfinished)} unfinished .open file(s) left by "
              "an interrupted crawl are not sent (they need recovery first): "
              + ", ".join(str(p) for p in report.unfinished[:3])
              + (" ..." if len(report.unfinished) > 3 else ""), file=sys.stderr)
    if pending := report.count(UploadState.PENDING):
        print(f"newsarchive upload: {pending} file(s) still wait in {args.out} "
              f"({report.last_error}); run this again later", file=sys.stderr)
    return EXIT_OK if report.ok and not report.unfinished else EXIT_INCOMPLETE


def cmd_verify(args: argparse.Namespace) -> int:
    from archive.errors import StoreError
    from archive.store.verify import verify_store

    if args.job is not None:
        from archive.errors import ArchiveError
        from archive.layout import check_job_name

        try:
            check_job_name(args.job)
        except ArchiveError as exc:
            print(f"newsarchive verify: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    store = open_checked_store("verify", args, writable=False)
    if store is None:
        return EXIT_USAGE

    def show(key: str, problem: str) -> None:
        if problem:
            print(f"{'MISSING' if problem == 'missing' else 'CORRUPT'}  {key}"
                  + ("" if problem == "missing" else f": {problem}"))

    try:
        report = verify_store(store, job=args.job, on_object=show)
    except StoreError as exc:
        print(f"newsarchive verify: error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    if not report.manifests:
        print(f"newsarchive verify: no crawl manifests under {store.uri}/manifests/"
              + (f" for job {args.job}" if args.job else "") + "; is the store URI right?",
              file=sys.stderr)
        return EXIT_INCOMPLETE
    print(f"Checked {report.checked} object(s), {report.bytes_checked / 1e6:.2f} MB intact, "
          f"in {report.manifests} manifest(s) of {store.uri}: "
          + ("all present and intact" if report.ok else
             f"{len(report.missing)} missing, {len(report.corrupt)} corrupt"))
    return EXIT_OK if report.ok else EXIT_INCOMPLETE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("newsarchive: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`newsarchive query | head`): that is not an error of
        # ours. Point stdout at /dev/null so Python's own flush at exit stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a process killed by it

