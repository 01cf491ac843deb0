"""The parts of "The Tarrowdale Courier", ``tests/sites/discovery_channels.py``, its API.

- ``content``: the articles, members' stories, people and static texts
  (``data/discovery_channels.json``), the sections, and which story is listed where
- ``stories``: the page frame, articles, home, section, people, topic and static pages
- ``traps``: the endless calendar, the faceted events guide and the endless notices
- ``syndication``: the three feeds, the sitemaps and robots.txt
"""
