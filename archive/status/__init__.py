"""The archive at a glance: what the runs of each job did and how its sources are.

Read from what runs leave on disk (run reports, manifests, state), so ``status``,
the dashboard and a monitor see the same figures. No Scrapy here.
"""
