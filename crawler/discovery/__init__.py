"""What to fetch next: page kinds, links, scope, traps, feeds, sitemaps, URL hygiene and
a page's requisites.

Plain functions over URLs, trees and XML; the spider and the extraction pool call them.
"""
