"""``summitwatch countries``: list, add and remove watched countries (ISO alpha-2 codes).

The database holds the watched list (the configuration file only seeds it). Codes are checked
and names looked up in pycountry's table, not the classifier's gazetteer, which takes a second
to build and is not needed to print a name.
"""

from __future__ import annotations

from typing import Annotated

import pycountry
import typer
from rich.console import Console

from summitwatch.app import country_problem
from summitwatch.cli.context import get_app
from summitwatch.settings import normalise_countries
from summitwatch.storage import catalog

console = Console()
countries = typer.Typer(name="countries", no_args_is_help=True, help="Watched countries.")
Codes = Annotated[list[str], typer.Argument(help="ISO 3166-1 alpha-2 codes, e.g. KZ UZ.")]


def english_name(code: str) -> str:
    """The state's everyday English name ("Bolivia" over "Bolivia, Plurinational State of")."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def check_code(code: str) -> str:
    """``code`` upper-cased, or a ``SettingsError`` with the nearest valid code (the check the
    settings make of ``watch.countries``)."""
    return normalise_countries([code], "country", country_problem)[0]


@countries.command("list")
def countries_list(ctx: typer.Context) -> None:
    """Watched countries."""
    for code in get_app(ctx).watched:
        console.print(f"{code}  {english_name(code)}")


@countries.command("add")
def countries_add(ctx: typer.Context, codes: Codes) -> None:
    """Watch one or more countries (ISO alpha-2 codes)."""
    _set_watched(ctx, codes, True, ("now watched", "already watched"))


@countries.command("remove")
def countries_remove(ctx: typer.Context, codes: Codes) -> None:
    """Stop watching countries."""
    _set_watched(ctx, codes, False, ("no longer watched", "was not watched"))


def _set_watched(ctx: typer.Context, codes: list[str], active: bool, said: tuple[str, str]) -> None:
    database = get_app(ctx).db
    for code in [check_code(c) for c in codes]:
        changed = catalog.set_country(database, code, active)
        console.print(f"{code}: {said[0] if changed else said[1]}")
