"""The archive as readers see it: replay in pywb and WACZ packages."""
