"""How the value of each setting is resolved, checked and shown.

Every setting is declared once in ``SETTINGS`` (``summitwatch.settings_table``: name, type,
default, help, secret; re-exported here). A value comes
from, in order of precedence: the command line (``--set key=value`` or a command's own option), the
environment (``SUMMITWATCH_`` plus the upper-cased key path, e.g. ``SUMMITWATCH_DATABASE_URL``),
the TOML file (``--config``, ``SUMMITWATCH_CONFIG``, ``config/summitwatch.toml`` in the working
directory, else the user config directory), and finally the default. Lists of tables in the file
(``[[feeds]]``, ``[[recipients]]``) are not scalar settings: they seed the database (see
``summitwatch.catalog``). Validation errors are raised as ``SettingsError`` carrying one line that
names the key, the value and what is allowed, so the CLI can print it and exit 2.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import Field, StrictInt, StrictStr, TypeAdapter, ValidationError

from alerts.addresses import AddressError, check_address
from summitwatch.settings_table import (
    BY_NAME,
    ENV_PREFIX,
    SETTINGS,
    WATCHED_DEFAULT,
    Setting,
    default_db_url,
    reference_markdown,
    render_value,
)

__all__ = [
    "BY_NAME",
    "ENV_PREFIX",
    "SETTINGS",
    "WATCHED_DEFAULT",
    "Setting",
    "Settings",
    "SettingsError",
    "load_settings",
    "normalise_countries",
    "reference_markdown",
]


def mask_password(url: str) -> str:
    """``url`` with the password of its ``user:password@`` part, if any, shown as ``***``."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    user, at, host = authority.rpartition("@")
    if not (sep and at and ":" in user):
        return url
    return f"{scheme}://{user.partition(':')[0]}:***@{host}{slash}{path}"


class SettingsError(ValueError):
    """A configuration value is wrong; the message is one line meant for the user."""


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any]
    sources: Mapping[str, str]
    config_path: Path | None
    feeds: tuple[Mapping[str, Any], ...] = ()
    recipients: tuple[Mapping[str, Any], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def database_url(self) -> str:
        return str(self.values["database.url"]) or default_db_url()

    def sender(self) -> tuple[str | None, str]:
        """(display name or None, address) of ``smtp.sender``; checked when settings load."""
        name, address = parseaddr(str(self.values["smtp.sender"]))
        return (name or None), address

    def smtp_password(self) -> str | None:
        direct = self.values["smtp.password"]
        if direct:
            return str(direct)
        return os.environ.get(str(self.values["smtp.password_env"])) or None

    def shown(self) -> list[tuple[str, str, str]]:
        """(name, value, source) rows with secrets masked, for ``config show``."""
        rows = []
        for s in SETTINGS:
            value = self.values[s.name]
            text = ("********" if value else "(unset)") if s.secret else render_value(value)
            if s.name == "database.url":
                text = mask_password(text)
            rows.append((s.name, text, self.sources[s.name]))
        return rows


_TYPES: dict[str, Any] = {
    "str": StrictStr | int | float,
    "int": StrictInt | Annotated[str, Field(pattern=r"^\s*-?\d+\s*$")],
    "float": float,
    "bool": bool,
    "list[str]": list[str] | str,
}
_ALLOWED = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "str": "a string",
    "list[str]": "a list of strings",
}


@functools.cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    return TypeAdapter(_TYPES[kind])


def _coerce(s: Setting, value: Any, origin: str) -> Any:
    """Validate with pydantic (lax: "30" from the environment is 30), then apply the table's
    own bounds and choices; any failure is one line naming key, value, origin and what is allowed.
    """

    def fail(allowed: str) -> SettingsError:
        return SettingsError(f"{s.name} = {value!r} ({origin}): expected {allowed}")

    try:
        out = _adapter(s.type).validate_python(value)
    except ValidationError:
        raise fail(_ALLOWED[s.type]) from None
    if s.type == "int":
        out = int(out)
    elif s.type == "str":
        out = str(out)
    elif s.type == "list[str]":
        items = out.split(",") if isinstance(out, str) else out
        out = [v.strip() for v in items if v.strip()]
    if s.choices and out not in s.choices:
        raise fail("one of " + ", ".join(s.choices))
    if isinstance(out, float) and not math.isfinite(out):
        raise fail("a finite number")
    if isinstance(out, int | float) and not isinstance(out, bool):
        low = -math.inf if s.minimum is None else s.minimum
        high = math.inf if s.maximum is None else s.maximum
        if not low <= out <= high:
            both = s.minimum is not None and s.maximum is not None
            raise fail(f"a value {'from ' if both else ''}{s.range_text}")
    return out


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def find_config(explicit: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if explicit:
        return Path(explicit)
    if env.get(ENV_PREFIX + "CONFIG"):
        return Path(env[ENV_PREFIX + "CONFIG"])
    local = Path("config/summitwatch.toml")
    if local.is_file():
        return local
    user = Path(platformdirs.user_config_dir("summitwatch")) / "summitwatch.toml"
    return user if user.is_file() else None


def load_settings(
    config: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    validate_country: Callable[[str], str | None] | None = None,
) -> Settings:
    """Resolve every setting. ``validate_country`` returns a suggestion for a bad code."""
    env = os.environ if env is None else env
    path = find_config(config, env)
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise SettingsError(
                f"config file {path} is not UTF-8 text (byte {exc.start}: {exc.reason})"
            ) from None
        except OSError as exc:
            raise SettingsError(f"config file {path} cannot be read: {exc.strerror}") from None
    feeds = data.pop("feeds", [])
    recipients = data.pop("recipients", [])
    flat = _flatten(data)
    for name in flat:
        if name not in BY_NAME:
            close = difflib.get_close_matches(name, BY_NAME, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SettingsError(f"{name} in {path}: unknown setting{hint}")
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for s in SETTINGS:
        if overrides and s.name in overrides and overrides[s.name] is not None:
            if s.secret:
                # A value on the command line is visible to every user of the machine (ps).
                raise SettingsError(
                    f"{s.name}: secrets are not accepted on the command line; set {s.env}"
                )
            values[s.name], sources[s.name] = _coerce(s, overrides[s.name], "command line"), "cli"
        elif s.env in env:
            values[s.name], sources[s.name] = _coerce(s, env[s.env], s.env), "env"
        elif s.name in flat and not s.secret:
            values[s.name], sources[s.name] = _coerce(s, flat[s.name], str(path)), "file"
        elif s.name in flat and s.secret:
            raise SettingsError(f"{s.name} in {path}: secrets come from the environment ({s.env})")
        else:
            default = s.default
            values[s.name] = list(default) if isinstance(default, list) else default
            sources[s.name] = "default"
    _check_sender(str(values["smtp.sender"]))
    values["watch.countries"] = normalise_countries(
        values["watch.countries"], "watch.countries", validate_country
    )
    if not isinstance(feeds, list) or not isinstance(recipients, list):
        raise SettingsError(f"{path}: feeds and recipients must be [[feeds]] / [[recipients]]")
    return Settings(values, sources, path, tuple(feeds), tuple(recipients), data)


def _check_sender(value: str) -> None:
    _, address = parseaddr(value)
    try:
        check_address(address, "sender")
    except AddressError as exc:
        raise SettingsError(
            f"smtp.sender = {value!r}: not an email address: {exc.reason} "
            "(expected 'Name <name@example.org>' or 'name@example.org')"
        ) from None


def normalise_countries(
    codes: Any, key: str, validate: Callable[[str], str | None] | None
) -> list[str]:
    """Upper-case, de-duplicate and validate ISO codes; ``validate`` suggests a fix or None."""
    out: list[str] = []
    for raw in codes:
        code = str(raw).strip().upper()
        if validate is not None:
            suggestion = validate(code)
            if suggestion is not None:
                hint = f"; did you mean {suggestion}?" if suggestion else ""
                raise SettingsError(f"{key}: unknown country code {raw!r}{hint}")
        if code not in out:
            out.append(code)
    return out
