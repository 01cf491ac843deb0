"""The parts of the syndication outlets, ``tests/sites/syndication.py``, its API.

- ``content``: the outlets, the wire story and its copies, the stories of an edition
  (``data/syndication.json``)
- ``render``: the pages: articles in two kinds of markup, home, sections, sitemap
"""
