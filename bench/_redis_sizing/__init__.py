"""The parts of the Redis sizing benchmark in ``bench/redis_sizing.py``, its command.

- ``entries``: synthetic but realistic values for every structure
- ``measure``: the structures a distributed crawl keeps in Redis, and what each entry costs
- ``projection``: the memory a deployment needs, projected from the measured costs
- ``server``: a redis-server of the benchmark's own
"""
