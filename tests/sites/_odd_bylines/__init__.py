"""The parts of the "Millbrook Daily Register", ``tests/sites/odd_bylines.py``, its API.

- ``content``: the articles, people, obituaries and static texts
  (``data/odd_bylines.json``), the site's fixed strings and shared helpers
- ``wordpress``, ``newcms``, ``legacy``: the three kinds of templates
- ``listings``: sections, archives, authors, search, county list, obituaries, the
  static pages and every page by path
"""
