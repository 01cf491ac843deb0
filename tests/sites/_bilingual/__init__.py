"""The parts of the "Lahnfurter Bote", ``tests/sites/bilingual.py``, which is its API.

- ``content``: the articles, authors, gallery and legal texts (``data/bilingual.json``),
  the site's fixed strings and the helpers every template uses
- ``wordpress``, ``jsonld``, ``legacy``: the three template generations
- ``assembly``: the event calendar, the listings and every page by path
"""
