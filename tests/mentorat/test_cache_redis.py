"""The Redis cache of production (`CACHE_URL=redis://…`): one client per pool, shared by threads, values kept apart."""

import os
import threading
import uuid

from mentorat.cache_redis import CacheRedis
from tests.mentorat.test_sessions import reglage

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_le_cache_redis_du_projet_est_choisi_avec_cache_url():
    assert reglage("CACHES['default']['BACKEND']", CACHE_URL=REDIS) == "mentorat.cache_redis.CacheRedis"
    assert reglage("CACHES['default']['BACKEND']") == "django.core.cache.backends.locmem.LocMemCache"


def test_un_seul_client_par_pool_partage_entre_fils_sans_melanger_les_valeurs():
    cache = CacheRedis(REDIS, {"KEY_PREFIX": f"essai-{uuid.uuid4().hex}"})
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    erreurs: list[str] = []

    def travailler(fil: int) -> None:
        for n in range(200):
            cle = f"fil{fil}-{n}"
            cache.set(cle, {"fil": fil, "n": n}, 30)
            if cache.get(cle) != {"fil": fil, "n": n}:
                erreurs.append(cle)
        cache.set(f"compteur{fil}", 0, 30)
        for _n in range(50):
            cache.incr(f"compteur{fil}")
        if cache.get(f"compteur{fil}") != 50:
            erreurs.append(f"compteur{fil}")

    fils = [threading.Thread(target=travailler, args=(fil,)) for fil in range(8)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()

    assert erreurs == []
    assert cache.get_many(["fil3-7", "fil5-199"]) == {"fil3-7": {"fil": 3, "n": 7}, "fil5-199": {"fil": 5, "n": 199}}
    cache.delete_many([f"fil{fil}-{n}" for fil in range(8) for n in range(200)])
    assert cache.get("fil3-7") is None
