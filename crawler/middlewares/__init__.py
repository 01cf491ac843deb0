"""Downloader middlewares, in the order a request meets them on its way out.

robots (100) -> retry (550) -> politeness (560) -> incremental (940) -> recorder (950,
above HttpCompressionMiddleware at 590, so it sees bodies still content-encoded).
"""
