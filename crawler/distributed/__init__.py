"""Distributed crawling on Redis: the shared frontier, each worker's part, the crawl's
shared end, and the bookkeeping they share (:mod:`.coordination`, no Scrapy)."""
