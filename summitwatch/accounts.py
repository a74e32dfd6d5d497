"""Reviewer accounts for the web UI: creation, password checks and the throttle on failed logins.

Accounts matter when the UI needs a login (``web.require_login``; by default when it is bound
beyond loopback). Passwords are hashed with Argon2id (argon2-cffi's defaults); a check against an
unknown name still hashes once, so the answer time does not tell which names exist. A new
password or removing the account ends the account's sessions (``session_generation``). The
``users`` command (``summitwatch.cli.users``) and the web login both call these functions.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from summitwatch.settings import SettingsError
from summitwatch.storage import accounts as account_store
from summitwatch.storage.db import Database

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# a hash of a random string, checked when the name is unknown to keep timing uniform


@functools.cache
def _dummy_hash() -> str:
    # hashed on first use, not at import: the web server imports this module at start
    return _hasher.hash("summitwatch-no-such-user")


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME.match(name):
        raise SettingsError(
            f"user name {name!r}: expected 1-100 letters, digits or . _ @ - (starting with a "
            "letter or digit)"
        )
    return name


def add_user(db: Database, name: str, password: str) -> bool:
    """Create the account, or set a new password if it exists; True when it was created."""
    name = check_name(name)
    if len(password) < MIN_PASSWORD:
        raise SettingsError(f"password for {name!r}: expected at least {MIN_PASSWORD} characters")
    return account_store.save_user(db, name, _hasher.hash(password))


def remove_user(db: Database, name: str) -> bool:
    """Delete the account (its sessions end with it); False when there was none."""
    return account_store.delete_user(db, check_name(name))


def verify(db: Database, name: str, password: str) -> bool:
    stored = account_store.password_hash(db, name.strip()) if NAME.match(name.strip()) else None
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


# a failed login counts against the account and the client address for WINDOW seconds; LIMIT
# failures within it lock the key for a cooling-off that doubles with each lockout, up to a cap
WINDOW = 15 * 60
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
FIRST_COOLING = 5 * 60
MAX_COOLING = 60 * 60  # a cap, so a guesser cannot lock a real reviewer out for days
FORGET_AFTER = 24 * 3600  # an idle key is dropped: lockouts stop growing a day later
MAX_TRACKED = 10_000


@dataclass(frozen=True, slots=True)
class Lockout:
    """A refusal: which kind of key is locked, and for how many more seconds."""

    kind: str  # "account" or "address"
    seconds: int

    @property
    def message(self) -> str:
        minutes = max(1, -(-self.seconds // 60))
        whom = "for this account" if self.kind == "account" else "from this address"
        unit = "minute" if minutes == 1 else "minutes"
        return f"Too many failed logins {whom}; try again in {minutes} {unit}."


@dataclass(slots=True)
class _Strikes:
    failures: deque[float]
    locked_until: float = 0.0
    lockouts: int = 0
    touched: float = 0.0


def address_key(address: str) -> str:
    """One key per IPv4 address, one per IPv6 /64: a single host often owns a whole /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


class LoginThrottle:
    """Failed logins per account and per client address, kept in this process's memory.

    Memory rather than the database: one ``serve`` process answers every login, the counts need
    no durability (a restart forgets them, and only the operator can restart), and a row written
    per failed guess would hand a guesser the database's write load. Run several processes and
    each counts on its own. At most ``max_tracked`` keys are held; past that the least recently
    touched key that is not locked goes first, so a flood of made-up names cannot push out a
    running lockout. The client address is what uvicorn reports (behind a proxy on this machine,
    its X-Forwarded-For), never a header the client could set freely.
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, max_tracked: int = MAX_TRACKED
    ) -> None:
        self._clock = clock
        self._max = max(2, max_tracked)
        self._lock = threading.Lock()  # sync routes run in a thread pool
        self._keys: OrderedDict[tuple[str, str], _Strikes] = OrderedDict()

    def __len__(self) -> int:
        return len(self._keys)

    def _keys_of(self, account: str, address: str) -> list[tuple[tuple[str, str], int]]:
        return [
            (("account", account.strip()[:100]), ACCOUNT_LIMIT),
            (("address", address_key(address)), ADDRESS_LIMIT),
        ]

    def locked(self, account: str, address: str) -> Lockout | None:
        """The lockout that refuses this attempt before any password is checked, if any."""
        now = self._clock()
        with self._lock:
            for key, _ in self._keys_of(account, address):
                strikes = self._keys.get(key)
                if strikes is not None and strikes.locked_until > now:
                    return Lockout(key[0], int(strikes.locked_until - now + 0.999))
        return None

    def failed(self, account: str, address: str) -> Lockout | None:
        """Count a wrong password; the lockout it starts, if it was the last one allowed."""
        now = self._clock()
        started: Lockout | None = None
        with self._lock:
            for key, limit in self._keys_of(account, address):
                strikes = self._strikes(key, limit, now)
                strikes.failures.append(now)
                if len(strikes.failures) >= limit and strikes.failures[0] > now - WINDOW:
                    cooling = min(FIRST_COOLING * 2 ** min(strikes.lockouts, 16), MAX_COOLING)
                    strikes.locked_until, strikes.failures = now + cooling, deque(maxlen=limit)
                    strikes.lockouts += 1
                    started = started or Lockout(key[0], cooling)
        return started

    def succeeded(self, account: str) -> None:
        """A right password clears the account's count, not the address's: a guesser who owns
        one account must not reset the count of their guesses at the others."""
        with self._lock:
            self._keys.pop(("account", account.strip()[:100]), None)

    def _strikes(self, key: tuple[str, str], limit: int, now: float) -> _Strikes:
        strikes = self._keys.get(key)
        if strikes is None or strikes.touched < now - FORGET_AFTER:
            if strikes is None and len(self._keys) >= self._max:
                self._evict(now)
            strikes = self._keys[key] = _Strikes(deque(maxlen=limit))
        strikes.touched = now
        self._keys.move_to_end(key)
        return strikes

    def _evict(self, now: float) -> None:
        victim = next((k for k, s in self._keys.items() if s.locked_until <= now), None)
        if victim is None:  # every key is locked: the oldest lockout goes
            victim = next(iter(self._keys))
        del self._keys[victim]
