"""The parts of "The Harbour Ledger", ``tests/sites/cms_generations.py``, which is its API.

- ``content``: the articles, people and static texts (``data/cms_generations.json``),
  the site's fixed strings and the helpers every template uses
- ``wordpress``, ``features``, ``legacy``: the three template generations
- ``listings``: section, archive, author, tag and static pages, and every page by path
"""
