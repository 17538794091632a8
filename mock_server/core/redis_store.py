"""Shared state in Redis (or Valkey): what :class:`~.store.Store` keeps in memory, kept where every worker and
every instance of the mock sees one consistent copy, and where a restarted mock finds it again.

Keys, all under ``mock:`` in the database the store URL names:

- ``mock:tenant:{credential}``: the tenant's state, one JSON document. It exists only once an accepted write
  created it, and expires ``tenant_ttl`` seconds after the tenant's last use.
- ``mock:tenants``: sorted set credential → last use, for ``max_tenants`` (the least recently used go first).
- ``mock:journal:{credential}`` and ``mock:journal-used:{credential}``: the journal, ``"cost:entry"`` items
  oldest first, within ``journal_size`` entries and ``journal_budget`` bytes, and what its items cost.
- ``mock:pending``: credentials whose journal waits for a tenant (their requests were all refused), bounded
  as the memory store bounds them.
- ``mock:lock:{credential}``: the tenant's write lock, a random token that expires after ``LOCK_SECONDS``.
- ``mock:rate:{api}:{credential}:{n}``: the request times in the window of the API's ``n``-th rate limit.

A write section is arbitrary Python (the handler's ``with ctx.state()`` block), so it cannot run inside Redis
and a context manager cannot run it again after an optimistic ``WATCH`` conflict. Each write therefore holds
the tenant's lock: read, change in this process, then one script stores the result only if the lock is still
this writer's (a fencing check: a writer whose lock expired keeps nothing and answers 503), and releases it.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .errors import PayloadTooLarge, StoreUnavailable
from .pipeline import JournalEntry
from .store import (
    DEFAULT_JOURNAL_BUDGET,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_TENANTS,
    DEFAULT_STATE_BUDGET,
    DEFAULT_TENANT_TTL,
    PENDING_JOURNALS,
    RateWindows,
)
from .throttle import RateLimit, refuse

log = logging.getLogger("mock_server")

PREFIX = "mock:"
#: How long a write may hold its tenant's lock; a section takes well under a millisecond, so this only frees
#: the lock of a process that died (or stalled) inside one.
LOCK_SECONDS = 5.0
#: How long a write waits for a tenant's lock before answering 503.
LOCK_WAIT_SECONDS = 6.0
#: Every call to the store: a store that does not answer within this is a 503, never a hang.
SOCKET_TIMEOUT = 2.0

# KEYS: lock, tenant, tenants, pending, journal, journal-used. ARGV: token, state, ttl ms, now, credential,
# max tenants, prefix, ttl seconds. Stores the state if the lock is still ours, evicts past the bound, unlocks.
_COMMIT = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[8]))
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
redis.call('ZREM', KEYS[4], ARGV[5])
redis.call('PEXPIRE', KEYS[5], ARGV[3])
redis.call('PEXPIRE', KEYS[6], ARGV[3])
local evicted = {}
local extra = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
if extra > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[3], 0, extra - 1)) do
    redis.call('DEL', ARGV[7] .. 'tenant:' .. old, ARGV[7] .. 'journal:' .. old, ARGV[7] .. 'journal-used:' .. old)
    table.insert(evicted, old)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, extra - 1)
end
redis.call('DEL', KEYS[1])
return evicted
"""

# KEYS: lock. ARGV: token. Releases the lock only if it is still ours.
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: journal, journal-used, tenant, pending, tenants. ARGV: item, cost, size, budget, ttl ms, now, credential,
# pending bound, prefix. Appends, drops the oldest past the bounds, refreshes the tenant's expiry.
_RECORD = """
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
local used = redis.call('INCRBY', KEYS[2], ARGV[2])
while n > 0 and (n > tonumber(ARGV[3]) or used > tonumber(ARGV[4])) do
  local item = redis.call('LPOP', KEYS[1])
  used = redis.call('DECRBY', KEYS[2], tonumber(string.match(item, '^(%d+):')))
  n = n - 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if redis.call('PEXPIRE', KEYS[3], ARGV[5]) == 1 then
  redis.call('ZADD', KEYS[5], 'XX', ARGV[6], ARGV[7])
  return 0
end
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
local extra = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[8])
if extra > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[4], 0, extra - 1)) do
    redis.call('DEL', ARGV[9] .. 'journal:' .. old, ARGV[9] .. 'journal-used:' .. old)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, extra - 1)
end
return 0
"""

# KEYS: one window per limit that counts the request. ARGV: now, member, then seconds and requests per window.
# Either counts the request in every window, or (over a limit) counts nothing and returns, for each full
# window, its position and the time of its oldest request.
_HIT = """
local now = tonumber(ARGV[1])
local over = {}
for i, key in ipairs(KEYS) do
  local seconds = tonumber(ARGV[1 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - seconds)
  if redis.call('ZCARD', key) >= tonumber(ARGV[2 + 2 * i]) then
    table.insert(over, i)
    table.insert(over, redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  end
end
if #over > 0 then return over end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, math.ceil(tonumber(ARGV[1 + 2 * i]) * 1000) + 1000)
end
return over
"""


def connect(url: str) -> redis.Redis:
    """A client for ``redis://host:port/db`` that fails fast: one immediate retry (a pooled connection the server
    closed when it restarted), then an error, never a long back-off while requests wait."""
    client: redis.Redis = redis.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        retry=Retry(NoBackoff(), 1),
        decode_responses=True,
    )
    return client


@dataclass
class _Lock:
    """A tenant's lock as one writer holds it, with the state it read."""

    key: str
    token: str
    state: dict[str, Any] | None = None
    released: bool = False


class RedisStore:
    """All tenants' state in Redis; the same contract as the in-memory :class:`~.store.Store`."""

    def __init__(
        self,
        url: str,
        defaults: Mapping[str, Any],
        *,
        max_tenants: int = DEFAULT_MAX_TENANTS,
        journal_size: int = DEFAULT_JOURNAL_SIZE,
        state_budget: int = DEFAULT_STATE_BUDGET,
        journal_budget: int = DEFAULT_JOURNAL_BUDGET,
        tenant_ttl: float = DEFAULT_TENANT_TTL,
    ) -> None:
        if max_tenants < 1:
            raise ValueError("max_tenants must be at least 1")
        if tenant_ttl <= 0:
            raise ValueError("the tenant TTL must be a positive number of seconds")
        self._defaults = json.dumps(dict(defaults), separators=(",", ":"))
        if len(self._defaults) > state_budget:
            raise ValueError(f"the default fixtures ({len(self._defaults)} bytes) exceed the state budget")
        self._max_tenants = max_tenants
        self._journal_size = journal_size
        self.state_budget = state_budget
        self.journal_budget = journal_budget
        self._ttl = tenant_ttl
        self._ttl_ms = max(1, int(tenant_ttl * 1000))
        self.client = connect(url)
        self._commit = self.client.register_script(_COMMIT)
        self._unlock = self.client.register_script(_UNLOCK)
        self._record = self.client.register_script(_RECORD)
        self._hit = self.client.register_script(_HIT)

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the store answers."""
        with _reachable():
            self.client.ping()

    @staticmethod
    def _key(kind: str, key: str) -> str:
        return f"{PREFIX}{kind}:{key}"

    @contextmanager
    def _locked(self, key: str) -> Iterator[_Lock]:
        """Hold the tenant's lock while the section runs; :meth:`_keep` stores a state and unlocks in one call."""
        lock = _Lock(self._key("lock", key), secrets.token_hex(16))
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.0005
        with _reachable():
            while True:
                pipe = self.client.pipeline(transaction=False)
                pipe.set(lock.key, lock.token, nx=True, px=int(LOCK_SECONDS * 1000))
                pipe.get(self._key("tenant", key))
                locked, raw = pipe.execute()
                if locked:
                    break
                if time.monotonic() > deadline:
                    raise StoreUnavailable("this tenant is busy in another request; try again")
                time.sleep(pause)
                pause = min(pause * 2, 0.01)
        lock.state = None if raw is None else json.loads(raw)
        try:
            yield lock
        finally:
            if not lock.released:
                with _reachable():
                    self._unlock(keys=[lock.key], args=[lock.token])

    def _keep(self, key: str, lock: _Lock, state: Mapping[str, Any]) -> None:
        """Store the state of a tenant whose ``lock`` is held, within the budget; evict past the tenant bound."""
        document = json.dumps(state, separators=(",", ":"))
        if len(document) > self.state_budget:
            raise PayloadTooLarge(
                f"the state is {len(document)} bytes, over this tenant's budget of {self.state_budget}"
            )
        keys = [lock.key, self._key("tenant", key), PREFIX + "tenants", PREFIX + "pending"]
        keys += [self._key("journal", key), self._key("journal-used", key)]
        args: list[str | int | float] = [lock.token, document, self._ttl_ms, time.time(), key, self._max_tenants]
        args += [PREFIX, self._ttl]
        with _reachable():
            evicted = self._commit(keys=keys, args=args)
        lock.released = True
        if evicted == -1:
            raise StoreUnavailable("this write took longer than its lock lasts; nothing was changed")
        for old in evicted:
            log.info("tenant %s evicted: more than %d tenants (--max-tenants)", old, self._max_tenants)

    def _fresh(self) -> dict[str, Any]:
        fresh: dict[str, Any] = json.loads(self._defaults)
        return fresh

    @contextmanager
    def write(self, key: str, api: str, *, request_bytes: int = 0) -> Iterator[Any]:
        """The tenant's state of ``api`` for one read-modify-write under its lock; kept only if the section ends
        without an error (a refused change is simply never stored)."""
        with self._locked(key) as lock:
            state = lock.state if lock.state is not None else self._fresh()
            yield state[api]
            self._keep(key, lock, state)

    def snapshot(self, key: str) -> dict[str, Any]:
        with _reachable():
            raw = self.client.get(self._key("tenant", key))
        return json.loads(raw) if raw is not None else self._fresh()

    def replace(self, key: str, state: Mapping[str, Any]) -> None:
        with self._locked(key) as lock:
            self._keep(key, lock, {**(lock.state if lock.state is not None else self._fresh()), **state})

    def reset(self, key: str) -> None:
        with self._locked(key) as lock:
            if lock.state is not None:
                self._keep(key, lock, self._fresh())

    def reset_all(self) -> None:
        with _reachable():
            batch: list[str] = []
            for name in self.client.scan_iter(match=PREFIX + "*", count=1000):
                batch.append(name)
                if len(batch) == 1000:
                    self.client.unlink(*batch)
                    batch.clear()
            if batch:
                self.client.unlink(*batch)

    def record(self, key: str, entry: Any, cost: int) -> None:
        """Journal a request; never creates a tenant. A store that is away loses the entry, not the response."""
        keys = [self._key("journal", key), self._key("journal-used", key), self._key("tenant", key)]
        keys += [PREFIX + "pending", PREFIX + "tenants"]
        item = f"{cost}:{encode_entry(entry)}"
        args: list[str | int | float] = [item, cost, self._journal_size, self.journal_budget, self._ttl_ms]
        args += [time.time(), key]
        args += [PENDING_JOURNALS, PREFIX]
        try:
            self._record(keys=keys, args=args)
        except redis.RedisError as error:
            log.warning("request not journaled: the store is unavailable (%s)", error)

    def journal(self, key: str) -> list[Any]:
        with _reachable():
            items = self.client.lrange(self._key("journal", key), 0, -1)
        return [decode_entry(str(item).split(":", 1)[1]) for item in items]

    def clear_journal(self, key: str) -> None:
        with _reachable():
            self.client.delete(self._key("journal", key), self._key("journal-used", key))

    def has_tenant(self, key: str) -> bool:
        with _reachable():
            return bool(self.client.exists(self._key("tenant", key)))

    @property
    def tenant_count(self) -> int:
        """Live tenants: those used within the TTL, at most ``max_tenants``."""
        with _reachable():
            pipe = self.client.pipeline()
            pipe.zremrangebyscore(PREFIX + "tenants", "-inf", time.time() - self._ttl)
            pipe.zcard(PREFIX + "tenants")
            return int(pipe.execute()[1])

    def throttle(self, clock: Callable[[], float]) -> RateWindows:
        return RedisThrottle(self, clock)


class RedisThrottle:
    """The sliding windows of :class:`~.throttle.Throttle`, in Redis, so that every instance counts together.

    ``clock`` gives seconds that every instance agrees on: wall-clock time, unless a test injects its own.
    """

    def __init__(self, store: RedisStore, clock: Callable[[], float]) -> None:
        self._store = store
        self._clock = clock

    def hit(self, api: str, tenant: str, method: str, limits: Sequence[RateLimit]) -> None:
        now = self._clock()
        applicable = [(index, limit) for index, limit in enumerate(limits) if limit.counts(method)]
        if not applicable:
            return
        keys = [f"{PREFIX}rate:{api}:{tenant}:{index}" for index, _ in applicable]
        args: list[str | int | float] = [repr(now), secrets.token_hex(8)]
        for _, limit in applicable:
            args += [repr(float(limit.seconds)), limit.requests]
        with _reachable():
            over = self._store._hit(keys=keys, args=args)
        if over:
            pairs = zip(over[::2], over[1::2], strict=True)
            raise refuse([applicable[int(position) - 1][1].wait(float(oldest), now) for position, oldest in pairs])


@contextmanager
def _reachable() -> Iterator[None]:
    """Turn the store's errors (refused, timed out, gone) into a 503 in the API's own shape."""
    try:
        yield
    except redis.RedisError as error:
        log.warning("store unavailable: %s", error)
        raise StoreUnavailable("the mock's store is unavailable; try again shortly") from error


_BYTES = frozenset({"query", "body", "response"})


def encode_entry(entry: JournalEntry) -> str:
    """A journal entry as JSON; its byte fields as Latin-1 text, which maps every byte to one character."""
    values = {f.name: getattr(entry, f.name) for f in fields(JournalEntry)}
    return json.dumps({k: v.decode("latin-1") if k in _BYTES else v for k, v in values.items()}, separators=(",", ":"))


def decode_entry(text: str) -> JournalEntry:
    values = json.loads(text)
    return JournalEntry(**{k: v.encode("latin-1") if k in _BYTES else v for k, v in values.items()})
