"""The parts of bench/newsweb_cycles.py, one idea a module:

- ``jobfile``: the job file for the web's sites
- ``crawlrun``: one ``newsarchive crawl`` as cron runs it, watched from outside
- ``scoring``: recall, duplicates and edits caught, from the archive's article records
- ``politeness``: what the servers saw: concurrency, gaps, disallowed paths, floors
"""
