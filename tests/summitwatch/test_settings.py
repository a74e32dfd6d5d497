"""Settings: precedence, coercion and one-line errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from summitwatch.settings import SETTINGS, SettingsError, load_settings

KNOWN = {"KZ", "KG", "TJ", "TM", "UZ", "RU", "FR"}


def check_country(code: str) -> str | None:
    if code in KNOWN:
        return None
    return "KZ" if code.startswith("KZ") else ""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "summitwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_setting_has_help_and_a_typed_default() -> None:
    for s in SETTINGS:
        assert s.help and s.type in {"str", "int", "float", "bool", "list[str]"}, s.name


@pytest.mark.parametrize(
    ("file_value", "env_value", "cli_value", "expected", "source"),
    [
        (None, None, None, 0.5, "default"),
        ("0.6", None, None, 0.6, "file"),
        ("0.6", "0.7", None, 0.7, "env"),
        ("0.6", "0.7", "0.8", 0.8, "cli"),
        (None, None, "0.9", 0.9, "cli"),
    ],
    ids=["default", "file-beats-default", "env-beats-file", "cli-beats-env", "cli-only"],
)
def test_precedence(tmp_path: Path, file_value, env_value, cli_value, expected, source) -> None:
    text = f"[classifier]\nthreshold = {file_value}\n" if file_value else ""
    env = {"SUMMITWATCH_CLASSIFIER_THRESHOLD": env_value} if env_value else {}
    overrides = {"classifier.threshold": cli_value} if cli_value else {}
    settings = load_settings(write(tmp_path, text), overrides, env)
    assert settings["classifier.threshold"] == expected
    assert settings.sources["classifier.threshold"] == source


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ('[watch]\ncountries = ["KZZ"]\n', {}, "unknown country code 'KZZ'; did you mean KZ?"),
        ('[watch]\ncountries = ["XX"]\n', {}, "unknown country code 'XX'"),
        ('[classifier]\nthreshold = "high"\n', {}, "classifier.threshold = 'high'"),
        ('[smtp]\nsecurity = "ssl"\n', {}, "one of starttls, tls, none"),
        ("[collector]\nmax_concurrency = 0\n", {}, "a value from 1 to 1000"),
        ("[classifier]\nthreshold = 1.5\n", {}, "classifier.threshold = 1.5"),
        ("[classifier]\nthreshold = 7\n", {}, "a value from 0 to 1"),
        ("[collector]\nmax_body_mb = nan\n", {}, "expected a finite number"),
        ("[collector]\nmax_body_mb = inf\n", {}, "expected a finite number"),
        ("[collector]\nmax_body_mb = 1e12\n", {}, "a value from 0.01 to 1024"),
        ("[web]\nport = 70000\n", {}, "web.port = 70000"),
        ("[collector]\nparse_workers = 100000\n", {}, "a value from -1 to 64"),
        ("", {"SUMMITWATCH_COLLECTOR_MAX_BODY_MB": "NaN"}, "SUMMITWATCH_COLLECTOR_MAX_BODY_MB"),
        (
            "",
            {"SUMMITWATCH_SMTP_SENDER": "josé@example.org"},
            "smtp.sender = 'josé@example.org': not an email address",
        ),
        ("[clasifier]\nthreshold = 0.5\n", {}, "did you mean classifier.threshold?"),
        ('[smtp]\npassword = "x"\n', {}, "secrets come from the environment"),
        ("[watch\n", {}, "is not valid TOML"),
        ("", {"SUMMITWATCH_WEB_PORT": "eighty"}, "web.port = 'eighty' (SUMMITWATCH_WEB_PORT)"),
    ],
    ids=[
        "typo-code",
        "unknown-code",
        "not-a-number",
        "bad-choice",
        "below-minimum",
        "threshold-above-one",
        "threshold-seven",
        "nan",
        "infinity",
        "body-1e12",
        "port-70000",
        "parse-workers-100000",
        "nan-from-env",
        "sender-non-ascii",
        "unknown-key",
        "secret-in-file",
        "bad-toml",
        "bad-env",
    ],
)
def test_bad_values_give_one_clear_line(tmp_path: Path, text: str, env, message: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, text), None, env, validate_country=check_country)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "summitwatch.toml"
    path.write_bytes('[watch]\ncountries = ["KZ"] # Kazakhstan, café\n'.encode("latin-1"))
    with pytest.raises(SettingsError) as info:
        load_settings(path, None, {})
    assert str(info.value).startswith(f"config file {path} is not UTF-8 text")


def test_secrets_are_refused_on_the_command_line(tmp_path: Path) -> None:
    """A value on the command line shows in ``ps`` to every user of the machine."""
    with pytest.raises(SettingsError) as info:
        load_settings(write(tmp_path, ""), {"smtp.password": "hunter2"}, {})
    assert "SUMMITWATCH_SMTP_PASSWORD" in str(info.value) and "hunter2" not in str(info.value)


def test_secrets_are_masked_and_come_from_env(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""), None, {"SUMMITWATCH_SMTP_PASSWORD": "hunter2"})
    assert settings.smtp_password() == "hunter2"
    shown = {name: value for name, value, _ in settings.shown()}
    assert shown["smtp.password"] == "********"
    assert "hunter2" not in repr(settings.shown())


def test_lists_from_env_and_countries_normalised(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, ""),
        None,
        {"SUMMITWATCH_WATCH_COUNTRIES": "uz, kz,UZ"},
        validate_country=check_country,
    )
    assert settings["watch.countries"] == ["UZ", "KZ"]


def test_feeds_and_recipients_tables_are_kept(tmp_path: Path) -> None:
    text = '[[feeds]]\nurl = "https://a.example/rss"\n[[recipients]]\nemail = "a@b.org"\n'
    settings = load_settings(write(tmp_path, text), None, {})
    assert settings.feeds[0]["url"] == "https://a.example/rss"
    assert settings.recipients[0]["email"] == "a@b.org"


def test_config_file_from_env_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "[web]\nport = 9999\n")
    settings = load_settings(None, None, {"SUMMITWATCH_CONFIG": str(path)})
    assert settings["web.port"] == 9999 and settings.config_path == path


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", None, {})


def test_readme_reference_matches_the_settings_table() -> None:
    from summitwatch.settings import reference_markdown

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- settings-reference:start -->\n")[1].split("<!--")[0]
    assert block.strip() == reference_markdown().strip(), (
        "README configuration reference is stale: paste `summitwatch config reference` into it"
    )


def test_default_config_file_only_uses_known_settings() -> None:
    """The shipped, commented config/summitwatch.toml must load as it is."""
    config = Path(__file__).parents[2] / "config" / "summitwatch.toml"
    settings = load_settings(config, {}, {}, validate_country=check_country)
    assert settings["watch.countries"] == ["KZ", "KG", "TJ", "TM", "UZ"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "SummitWatch <watch@example.org>",
            ("SummitWatch", "watch@example.org"),
            id="display-name",
        ),
        pytest.param("watch@example.org", (None, "watch@example.org"), id="plain"),
        pytest.param("desk@localhost", (None, "desk@localhost"), id="localhost"),
    ],
)
def test_sender_accepts_name_and_address(value: str, expected: tuple[str | None, str]) -> None:
    settings = load_settings(None, {"smtp.sender": value}, {}, validate_country=check_country)
    assert settings.sender() == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("SummitWatch", id="no-address"),
        pytest.param("a b@example.org", id="space"),
        pytest.param("x@", id="no-domain"),
    ],
)
def test_bad_sender_is_one_clear_error(value: str) -> None:
    with pytest.raises(SettingsError, match=r"smtp\.sender = .*: not an email address: "):
        load_settings(None, {"smtp.sender": value}, {}, validate_country=check_country)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param(
            '[[recipients]]\nemail = "desk@example.org"\nschedul = "daily 06:00"\n',
            "recipients[0].schedul: unknown key (did you mean schedule?)",
            id="recipient-typo",
        ),
        pytest.param(
            '[[recipients]]\nemail = "desk@example.org"\ncolour = "red"\n',
            "recipients[0].colour: unknown key; known: email",
            id="recipient-unknown",
        ),
        pytest.param(
            '[[feeds]]\nurl = "https://a.example.org/rss"\nfull_txt = true\n',
            "feeds[0].full_txt: unknown key (did you mean full_text?)",
            id="feed-typo",
        ),
    ],
)
def test_unknown_keys_in_list_tables_are_refused(tmp_path: Path, table: str, message: str) -> None:
    from summitwatch.app import check_config

    with pytest.raises(SettingsError) as info:
        check_config(write(tmp_path, table), None, {})
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
