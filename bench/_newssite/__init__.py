"""The parts of the synthetic news site in ``bench/newssite.py``, which is their API.

- ``vocabulary``: the sections, and the pools of words the prose is drawn from
- ``stories``: every story's metadata, and the writer of each article's content
- ``chrome``: what every page of the site carries (menus, CSS, icons, consent banner)
- ``fragments``: pieces of HTML the three templates share (metadata, story lists, boxes)
- ``wordpress``, ``legacycms``, ``semantic``: the three page templates
- ``site``: the site's assembly, every path -> its ``Page``
- ``server``: the cheap HTTP server, in a process of its own
"""
