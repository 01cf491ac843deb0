"""Page requisites: what an archived HTML page needs to be shown as its readers saw
it (stylesheets, fonts, images, scripts, icons), fetched and archived beside it.

Found in the page by :mod:`crawler.discovery.requisites` (in the extraction
workers, from the parse the page gets anyway), chosen by :mod:`.policy` (the job's
and source's choice, the excluded ad and tracking hosts), fetched once per crawl and
re-checked across runs by the spider's :mod:`crawler.spiders.requisites`, capped by
:mod:`crawler.middlewares.requisites`. See docs/crawling.md#page-requisites.
"""
