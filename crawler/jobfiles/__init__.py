"""Job files: reading and checking a TOML job into a :class:`~crawler.jobfiles.spec.JobSpec`.

The top-level ``jobs/`` folder holds example job files.
"""
