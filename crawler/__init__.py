"""The Scrapy project: everything that runs inside a crawl."""
