"""The parts of ``bench/crawl_throughput.py --site``: the real-page and light-page
sites, the bare Scrapy pipelines measured beside newsarchive, and the comparison."""
