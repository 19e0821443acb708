"""Typical uses of redis-py against a server on 127.0.0.1:PORT. Prints one PASS/FAIL line per use; exit 1 if any
fails. Run by RedisClientsIT with Debian's python3 and python3-redis."""
import sys
import threading
import time

import redis

port = int(sys.argv[1])
failures = []


def check(name):
    def wrap(fn):
        try:
            fn()
            print("PASS " + name)
        except Exception as e:  # noqa: BLE001 - report every failure, keep going
            failures.append(name)
            print("FAIL %s: %r" % (name, e))
        return fn
    return wrap


r = redis.Redis(host="127.0.0.1", port=port, decode_responses=True, socket_timeout=10)
r.flushall()


@check("strings and expiry")
def _():
    assert r.set("greeting", "hello", ex=100)
    assert r.get("greeting") == "hello"
    assert 90 < r.ttl("greeting") <= 100
    assert r.incrbyfloat("f", 1.5) == 1.5
    assert r.setnx("greeting", "x") is False
    assert r.getdel("greeting") == "hello"
    assert r.mset({"a": "1", "b": "2"}) and r.mget("a", "b", "c") == ["1", "2", None]


@check("pipeline")
def _():
    with r.pipeline(transaction=False) as p:
        for i in range(100):
            p.set("k%d" % i, i)
        for i in range(100):
            p.get("k%d" % i)
        out = p.execute()
    assert out[:100] == [True] * 100 and out[100:] == [str(i) for i in range(100)]


@check("transaction")
def _():
    with r.pipeline() as p:
        p.incr("counter").incr("counter").get("counter")
        assert p.execute() == [1, 2, "2"]


@check("optimistic locking with watch")
def _():
    r.set("balance", 10)

    def spend(pipe):
        balance = int(pipe.get("balance"))
        pipe.multi()
        pipe.set("balance", balance - 3)

    r.transaction(spend, "balance")
    assert r.get("balance") == "7"
    with r.pipeline() as p:
        p.watch("balance")
        r.set("balance", 100)  # another client changes the key
        p.multi()
        p.set("balance", 0)
        try:
            p.execute()
            raise AssertionError("EXEC should have failed")
        except redis.WatchError:
            pass
    assert r.get("balance") == "100"


@check("scan iterators")
def _():
    for i in range(500):
        r.set("scan:%d" % i, i)
    assert len(set(r.scan_iter(match="scan:*", count=50))) == 500
    r.hset("h", mapping={"f%d" % i: i for i in range(300)})
    assert len(dict(r.hscan_iter("h"))) == 300
    r.sadd("s", *range(300))
    assert len(set(r.sscan_iter("s"))) == 300
    r.zadd("z", {"m%d" % i: i for i in range(300)})
    assert len(list(r.zscan_iter("z"))) == 300


@check("hashes, sets and sorted sets")
def _():
    assert r.hgetall("h")["f7"] == "7"
    assert r.hincrby("h", "f1", 10) == 11
    assert r.sinter("s", "s") == {str(i) for i in range(300)}
    assert r.zrange("z", 0, 2, withscores=True) == [("m0", 0.0), ("m1", 1.0), ("m2", 2.0)]
    assert r.zrangebyscore("z", 10, 12) == ["m10", "m11", "m12"]
    assert r.zrank("z", "m5") == 5


@check("pub/sub")
def _():
    p = r.pubsub()
    p.subscribe("news")
    first = p.get_message(timeout=5)
    assert first["type"] == "subscribe"

    def later():
        time.sleep(0.2)
        redis.Redis(host="127.0.0.1", port=port).publish("news", "hello")

    threading.Thread(target=later).start()
    deadline = time.time() + 10
    message = None
    while time.time() < deadline and message is None:
        message = p.get_message(ignore_subscribe_messages=True, timeout=1)
    assert message is not None and message["data"] == "hello", message
    p.psubscribe("n*")
    assert p.get_message(timeout=5)["type"] == "psubscribe"
    p.close()


@check("blocking pop")
def _():
    def later():
        time.sleep(0.2)
        redis.Redis(host="127.0.0.1", port=port).rpush("queue", "job")

    threading.Thread(target=later).start()
    assert r.blpop("queue", timeout=10) == ("queue", "job")
    assert r.blpop("empty-queue", timeout=0.1) is None


@check("client name and info")
def _():
    r.client_setname("py-client")
    assert r.client_getname() == "py-client"
    assert r.info("server")["redis_version"] == "7.0.15"
    assert any(c["name"] == "py-client" for c in r.client_list())


@check("errors are exceptions")
def _():
    r.set("str", "x")
    try:
        r.lpush("str", "a")
        raise AssertionError("WRONGTYPE expected")
    except redis.ResponseError as e:
        assert "WRONGTYPE" in str(e)


@check("a lock through EVALSHA (redis-py's Lock)")
def _():
    lock = r.lock("resource", timeout=5, blocking_timeout=1)
    assert lock.acquire(), "first acquire"
    other = redis.Redis(host="127.0.0.1", port=port).lock("resource", timeout=5, blocking_timeout=0.2)
    assert not other.acquire(), "a second holder got the lock"
    assert lock.extend(5), "extend"
    lock.release()
    assert other.acquire(), "acquire after release"
    other.release()
    assert r.get("resource") is None


@check("eval and script load")
def _():
    assert r.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "ek", "ev") == "OK"
    sha = r.script_load("return redis.call('get', KEYS[1])")
    assert r.evalsha(sha, 1, "ek") == "ev"
    assert r.script_exists(sha) == [True]
    try:
        r.eval("return redis.call('nosuchcommand')", 0)
        raise AssertionError("error expected")
    except redis.ResponseError as e:
        assert "Unknown Redis command" in str(e), str(e)


if failures:
    print("FAILED: " + ", ".join(failures))
    sys.exit(1)
print("ALL PASSED")
