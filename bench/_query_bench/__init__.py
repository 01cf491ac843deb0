"""The parts of the query benchmark in ``bench/query_bench.py``, which is their API.

- ``generator``: the synthetic archive's shape and the generator of its records
- ``queries``: the queries timed, and what each should find, worked out in Python
- ``archive``: the archive on disk: built (or reused with ``--keep``), indexed, counted
- ``timing``: the queries timed over both paths, and the report
"""
