"""Stand-in pages that come with an error status reach the spider, once.

A bot wall often answers with 403, 429 or 503 and a challenge page. Scrapy would
retry a 429/503 (the same challenge, twice more) and then drop any of them as an
HTTP error before the spider sees it; but such a page is not a failure of the site,
it is a page standing in for the one asked for, and is counted as ``blocked``
(crawler.spiders.blocked), not as an error. So this middleware looks at every error
response that is HTML (few, and small: parsed here, in the crawl) and, for a stand-in
(crawler.extract.standin), marks it, lets it through to the spider and stops its
retries. A 2xx response is only looked at for the headers a wall sets
(``cf-mitigated: challenge``); its page is read in the extraction workers.

It sits between HttpCompressionMiddleware (590), so it reads the decompressed body,
and the retry middleware (550), which it keeps from retrying. The WARC recorder
(950) has archived the exchange by then, as it archives every response.
"""

from __future__ import annotations

import lxml.etree
import lxml.html
from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.discovery.pagekind import page_signals
from crawler.extract.standin import StandIn, header_standin, page_standin

STANDIN_META_KEY = "standin"
# Larger error pages are a site's own (a styled 404 with its navigation), never a wall.
MAX_STANDIN_BYTES = 512 * 1024


class StandInMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        verdict = self._verdict(response)
        if verdict is not None:
            request.meta[STANDIN_META_KEY] = verdict
            if response.status >= 300:
                request.meta["dont_retry"] = True  # the same wall would answer again
                request.meta["handle_httpstatus_all"] = True  # to the spider, counted there
        return response

    @staticmethod
    def _verdict(response: Response) -> StandIn | None:
        headers = {key.decode("latin-1").lower(): value.decode("latin-1")
                   for key, value in ((k, response.headers.get(k) or b"")
                                      for k in response.headers)}
        verdict = header_standin(response.status, headers)
        if verdict is not None or response.status < 400:
            return verdict
        if not isinstance(response, TextResponse) or len(response.body) > MAX_STANDIN_BYTES \
                or "html" not in headers.get("content-type", "html").lower():
            return None
        try:  # lxml itself, not the extractor's parse: trafilatura stays in the workers
            tree = lxml.html.document_fromstring(response.text)
        except (lxml.etree.ParserError, ValueError):
            return None  # empty, or not HTML after all
        return page_standin(tree, response.text, response.url,
                            declared_article=page_signals(tree, response.url).declared_article)
