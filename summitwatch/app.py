"""The application context: resolved settings, the open database and the trained detector.

Every command and the web UI start from ``open_app``: it resolves the settings (validating
country codes against ISO 3166 through pycountry), opens and upgrades the database, and merges the
configuration file's feeds, recipients and countries into it. The detector is loaded lazily,
since listing feeds should not wait for a model.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry

from summitwatch.settings import WATCHED_DEFAULT, Settings, load_settings, normalise_countries
from summitwatch.storage import catalog
from summitwatch.storage.db import Database, open_database
from summitwatch.validation import validate_feed, validate_recipient

if TYPE_CHECKING:
    from classifier.detector import Detector


def country_problem(code: str) -> str | None:
    """None when ``code`` is a known ISO alpha-2 code, else a suggestion ("" when none).

    pycountry's table, not the classifier's gazetteer: every command checks the watched
    countries at start, and building the gazetteer costs a second.
    """
    upper = code.strip().upper()
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper) is not None:
        return None
    return _suggest(code.strip()) or ""


def _suggest(raw: str) -> str | None:
    """The closest alpha-2 code to a mistyped one: an alpha-3 code or a name of the state
    ("UZB", "Kyrgyzstan"), else the nearest code, the watched defaults first among equals."""
    try:
        exact = pycountry.countries.lookup(raw)
    except LookupError:
        exact = None
    if exact is not None:
        return str(exact.alpha_2)
    codes = sorted(c.alpha_2 for c in pycountry.countries)
    near = difflib.get_close_matches(raw.upper(), codes, n=5, cutoff=0.6)
    if near:
        best = difflib.SequenceMatcher(None, raw.upper(), near[0]).ratio()
        tied = [c for c in near if difflib.SequenceMatcher(None, raw.upper(), c).ratio() == best]
        return min(tied, key=lambda c: (c not in WATCHED_DEFAULT, c))
    names = {c.name.lower(): c.alpha_2 for c in pycountry.countries}
    named = difflib.get_close_matches(raw.lower(), list(names), n=1, cutoff=0.8)
    return str(names[named[0]]) if named else None


@dataclass
class App:
    settings: Settings
    db: Database
    _detector: Detector | None = field(default=None, repr=False)
    _active_marker: tuple[str, datetime] | None = field(default=None, repr=False)

    @property
    def watched(self) -> list[str]:
        return catalog.watched_countries(self.db)

    def detector(self) -> Detector:
        """The detector of the active model, reloaded when another process activated a new one.

        The web UI retrains and activates models while the scheduler runs in its own process;
        one indexed query per call lets the scheduler pick the new model up at its next cycle.
        """
        from classifier.detector import Detector
        from summitwatch import modelstore
        from summitwatch.storage import registry

        marker = registry.active(self.db)
        if self._detector is None or marker != self._active_marker:
            model = modelstore.active_model(self)
            self._detector = Detector(
                model, watched=self.watched, threshold=float(self.settings["classifier.threshold"])
            )
            self._active_marker = marker
        else:
            self._detector.watched = frozenset(self.watched)
        return self._detector

    def reset_detector(self) -> None:
        self._detector = None

    @property
    def outbox_dir(self) -> Path:
        return Path(str(self.settings["outbox.dir"])).expanduser()

    def close(self) -> None:
        self.db.dispose()


def check_config(
    config: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[Settings, list[dict[str, Any]], list[dict[str, Any]]]:
    """Every setting and every ``[[feeds]]`` / ``[[recipients]]`` entry checked, without opening
    the database: (settings, feeds, recipients); the first bad value is a ``SettingsError``."""
    settings = load_settings(config, overrides, env, validate_country=country_problem)
    feeds = [validate_feed(f, f"feeds[{n}]") for n, f in enumerate(settings.feeds)]
    recipients = []
    for n, entry in enumerate(settings.recipients):
        where = f"recipients[{n}]"
        checked = validate_recipient(entry, where)
        if entry.get("countries"):
            checked["countries"] = normalise_countries(
                entry["countries"], f"{where}.countries", country_problem
            )
        recipients.append(checked)
    return settings, feeds, recipients


def open_app(
    config: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> App:
    settings, feeds, recipients = check_config(config, overrides, env)
    db = open_database(settings.database_url)
    catalog.sync_from_settings(db, settings["watch.countries"], feeds, recipients)
    return App(settings, db)
