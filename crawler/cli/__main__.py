"""``python -m crawler.cli``: the ``newsarchive`` command without its console script."""

import sys

from crawler.cli.main import main

sys.exit(main())
