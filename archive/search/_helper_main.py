"""The analysis helper's process (archive.search.helper), run by path so that this
directory, not the ``archive`` package, is where its two modules come from."""

import sys

import analysis  # type: ignore[import-not-found]  # sys.path[0] is this directory
import helper  # type: ignore[import-not-found]

if __name__ == "__main__":
    helper.serve(analysis.analysed, int(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
