"""Downloader middlewares, in the order a request meets them on its way out.

egress guard (50) -> redirect scope (60) -> robots (100) -> retry (550) -> politeness
(560) -> Scrapy's decompression (590) and redirects (600), with what their limits drop
counted (limits) -> proxy guard (760, after Scrapy's HttpProxyMiddleware) -> incremental
(940) -> recorder (950, above decompression, so it sees bodies still content-encoded).
"""
