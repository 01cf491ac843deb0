"""The simulated news web behind bench/newsweb.py, one idea a module:

- ``prose``: generated text in five languages, different on every page
- ``faults``: which sites are down, slow, throttled or flaky, and when
- ``model``: sites, articles, and what each simulated hour publishes and edits
- ``pages``: HTML pages in three templates; ``feeds``: robots.txt, feeds, sitemaps
- ``routes``: what a site answers for a path (faults, redirects, 304s)
- ``server``: the asyncio HTTP/1.1 server, one socket per host, and its request log
- ``control``: the benchmark's JSON interface on 127.0.0.1
"""
