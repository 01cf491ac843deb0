"""The parts of "The Fenmarsh Gazette", ``tests/sites/changing_editions.py``, its API.

- ``content``: the stories, the about text and the edit to F3
  (``data/changing_editions.json``), the staff, sections and shared helpers
- ``fillers``: the generated filler stories (their vocabulary is in the JSON too)
- ``editions``: which stories an edition has, and its ground truth
- ``render``: the pages, the feed, the sitemap and robots.txt of an edition
- ``instance``: one running site: validators, conditional requests, switching editions
"""
