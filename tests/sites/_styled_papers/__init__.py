"""The parts of the styled papers site, ``tests/sites/styled_papers.py``, behind its API.

- ``content``: the articles (``data/styled_papers.json``), the ad and tracker tags
- ``images``: PNG and WebP files written with the standard library
- ``assets``: the requisites, on the site's host (``static/``) and on its CDN
- ``render``: the pages: the home page's listing and the articles
- ``static/``: the stylesheets and the script (the font is the demo's: ``README.md``)
"""
