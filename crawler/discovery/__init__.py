"""What to fetch next: page kinds, links, scope, traps, feeds, sitemaps and URL hygiene.

Plain functions over URLs, trees and XML; the spider and the extraction pool call them.
"""
