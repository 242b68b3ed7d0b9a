"""Django's Redis cache with one client per connection pool, instead of one per cache call.

Django's `RedisCacheClient.get_client` builds a `redis.Redis` at every `get` or `set`, and redis-py's constructor fills
its table of some 170 response callbacks each time: a third of a millisecond on the benchmark's machine, at every
read of an anonymous visitor's page (the fragments' version with the promotion, then the page itself), more than
that page's whole work. A client over a pool is safe to share between threads (each command borrows one of the pool's
connections), so one per pool suffices; it is built at its first use, in the process that uses it (gunicorn's and
Celery's forked workers each build their own).
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

BACKEND = "mentorat.cache_redis.CacheRedis"


class ClientParPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class CacheRedis(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientParPool
