"""``newsarchive jobs``: work with job files (``jobs check``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crawler.cli.common import EXIT_OK, EXIT_USAGE, Parser


def add_jobs_command(commands: Any) -> None:
    jobs = commands.add_parser(
        "jobs", help="work with job files", description=JOBS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    jobs_commands = jobs.add_subparsers(dest="jobs_command", metavar="COMMAND",
                                        parser_class=Parser, required=True)
    check = jobs_commands.add_parser(
        "check", help="validate a job file without crawling", description=JOBS_CHECK_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("job_file", metavar="JOB.toml", help="the job file to check")
    check.add_argument("--out", type=Path, metavar="DIR",
                       help="the job's archive directory, whose state says when each "
                       "source with `every` is due (default: the job file's out, else "
                       "./archive-data)")
    check.set_defaults(handler=cmd_jobs_check)


JOBS_HELP = """\
Work with job files: TOML files that name a job's sources (seeds, domains,
include/exclude patterns, feeds, sitemaps, caps, since, politeness) and its
output. Examples ship in jobs/.

example:
  newsarchive jobs check jobs/example.toml
"""

JOBS_CHECK_HELP = """\
Validate a job file without crawling or touching the network, and print what
it would crawl. A problem is reported as one line naming the file, the key and
the fix. For sources with `every`, the job's state in --out (read, never
written) says when each was last crawled whole and when it is next due.

examples:
  newsarchive jobs check jobs/example.toml
  newsarchive jobs check jobs/example.toml --out /srv/archive

exit status: 0 valid; 2 invalid.
"""


def cmd_jobs_check(args: argparse.Namespace) -> int:
    from crawler.jobfiles.describe import describe_job
    from crawler.jobfiles.load import JobFileError, load_job_file
    from crawler.run import default_job_name
    from crawler.sourcedue import last_crawled_times

    try:
        spec = load_job_file(args.job_file)
    except JobFileError as exc:
        print(f"newsarchive jobs check: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    out = args.out or Path(spec.out or "archive-data")
    crawled = last_crawled_times(out, default_job_name(spec)) \
        if spec.has_intervals else None
    print("\n".join(describe_job(spec, crawled)))
    return EXIT_OK
