"""Django's Redis cache, with one Redis client per process instead of one per operation.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object
for every cache operation, and each one fills a table of about 170 response
callbacks before it sends its command. Serving a cached public page takes
one cache operation, and in cProfile that build was a third of the time of
the cache's ``get_many``. With hiredis and the ETag stored with the page, a
cached promise page went from 4.0 to 2.6 million instructions
(docs/performance.md, "The seventh round").

A ``redis.Redis`` client is safe to share between threads, because each
command takes a connection from the pool. So one client per connection pool
is kept and reused. The pools are Django's own.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pools live as long as this object, so their ids stay theirs.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients
