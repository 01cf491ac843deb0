"""Extensions: live progress, prompt shutdown, and the end of a crawl (manifest, report,
summary), all built from Scrapy's stats."""
