"""Local news sites for the tests, each served on 127.0.0.1 by ``tests.sites.server``.

Written apart from the crawler's code (standard library only), each with its ground
truth next to its pages:

- ``cms_generations``: "The Harbour Ledger", three template generations after CMS
  migrations (WordPress-like, a JSON-LD ``@graph`` CMS, a table-layout archive).
- ``odd_bylines``: "Millbrook Daily Register", a regional daily whose bylines and dates
  sit in odd places (meta-only authors, "A, B" strings, wire Organizations, HTML 4).
- ``bilingual``: "Lahnfurter Bote", German and English pages, percent-encoded umlaut
  URLs, a Latin-1 archive and a robots.txt-disallowed look-alike article.
- ``discovery_channels``: "The Tarrowdale Courier", stories reachable only through
  sections, only through feeds or only through a news sitemap, plus crawler traps, a
  Crawl-delay and a 429.
- ``changing_editions``: "The Fenmarsh Gazette", a site that changes between two crawls
  (edition 1 and 2) with validators and conditional requests.
- ``syndication``: four outlets on their own loopback addresses (English and German)
  that run one wire story in several forms, stories planted for a ranked search, and an
  edition 2 that edits an article and republishes the wire story (the researchers'
  acceptance test, ``tests/test_research_acceptance.py``).
- ``redesign``: "The Calder Chronicle", fresh stories every edition and a template that
  can switch to one without bylines or dates (drift alerts, ``tests/test_health.py``).
- ``styled_papers``: "The Ashcombe Observer", pages that need their requisites to look
  right: stylesheets with an @import and a web font, pictures on a CDN host of its own
  (srcset, <picture>, lazy data-src), a script, a favicon, ad and tracker tags (replay in
  a browser, ``tests/test_replay_requisites.py``).

``pages`` holds what the sites share for writing pages; ``checks`` what the tests use to
compare a crawl with a site's ground truth.
"""
