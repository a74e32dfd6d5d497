"""The digest's own words in each supported language; feed content is never translated.

Adding a language means adding one dictionary with the same keys; `words_for` falls back to
English for an unknown code so a typo in configuration still produces a readable digest.
"""

from __future__ import annotations

from collections.abc import Mapping

_EN: dict[str, str] = {
    "brand": "SummitWatch",
    "title": "Summit coverage digest",
    "subject_events": "{count} events",
    "subject_one_event": "1 event",
    "subject_updates": "{count} updated",
    "subject_empty": "no new summit coverage",
    "period": "Period",
    "summary_line": "{events} · {updates}",
    "events": "{count} events",
    "one_event": "1 event",
    "updates": "{count} updates",
    "one_update": "1 update",
    "new": "NEW",
    "update": "UPDATE",
    "announced": "Announced",
    "held": "Held",
    "unknown": "Status unknown",
    "date": "Date",
    "place": "Place",
    "why": "Why",
    "score": "score",
    "sources": "Sources",
    "new_source": "new",
    "more_sources": "{count} more sources not shown",
    "no_events": "No new summit coverage in this period.",
    "seen": "Items seen",
    "flagged": "Items flagged",
    "failing": "Feeds failing",
    "failures": "{count} consecutive failures",
    "last_error": "last error",
    "no_failing": "All feeds are healthy.",
    "unsubscribe": "To unsubscribe, write to {sender}.",
    "automatic": "This digest was generated automatically.",
}

_FR: dict[str, str] = {
    "brand": "SummitWatch",
    "title": "Revue de presse des sommets",
    "subject_events": "{count} événements",
    "subject_one_event": "1 événement",
    "subject_updates": "{count} mis à jour",
    "subject_empty": "aucune nouvelle couverture de sommet",
    "period": "Période",
    "summary_line": "{events} · {updates}",
    "events": "{count} événements",
    "one_event": "1 événement",
    "updates": "{count} mises à jour",
    "one_update": "1 mise à jour",
    "new": "NOUVEAU",
    "update": "MISE À JOUR",
    "announced": "Annoncé",
    "held": "Tenu",
    "unknown": "Statut inconnu",
    "date": "Date",
    "place": "Lieu",
    "why": "Motif",
    "score": "score",
    "sources": "Sources",
    "new_source": "nouveau",
    "more_sources": "{count} autres sources non affichées",
    "no_events": "Aucune nouvelle couverture de sommet sur cette période.",
    "seen": "Articles lus",
    "flagged": "Articles signalés",
    "failing": "Flux en échec",
    "failures": "{count} échecs consécutifs",
    "last_error": "dernière erreur",
    "no_failing": "Tous les flux fonctionnent.",
    "unsubscribe": "Pour vous désabonner, écrivez à {sender}.",
    "automatic": "Cette revue a été générée automatiquement.",
}

LANGUAGES: Mapping[str, Mapping[str, str]] = {"en": _EN, "fr": _FR}


def words_for(lang: str) -> Mapping[str, str]:
    return LANGUAGES.get(lang.lower().split("-")[0], _EN)


def count_phrase(words: Mapping[str, str], one: str, many: str, count: int) -> str:
    return words[one] if count == 1 else words[many].format(count=count)
