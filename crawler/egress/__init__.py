"""The egress guard: what a crawl may connect to (policy), checked on the addresses
actually connected to (resolver).
"""
