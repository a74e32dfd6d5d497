"""Canonical links, link resolution, HTML to text, language tags and charset repair."""

from __future__ import annotations

import pytest

from collectors.charset import to_utf8
from collectors.links import canonical_link, resolve_link
from collectors.text import html_to_text, normalise_language

CANONICAL_CASES = [
    ("https://Example.ORG/a?utm_source=x&id=5&utm_campaign=y", "https://example.org/a?id=5"),
    ("https://example.org/a?fbclid=abc#comments", "https://example.org/a"),
    ("http://example.org:80/a?gclid=1&yclid=2&page=2", "http://example.org/a?page=2"),
    ("https://example.org:8443/a", "https://example.org:8443/a"),
    ("https://example.org", "https://example.org/"),
    ("https://example.org/a?b=1&a=2", "https://example.org/a?b=1&a=2"),
]


@pytest.mark.parametrize(("url", "canonical"), CANONICAL_CASES, ids=[c[1] for c in CANONICAL_CASES])
def test_canonical_link(url: str, canonical: str) -> None:
    assert canonical_link(url) == canonical


RESOLVE_CASES = [
    pytest.param("/x", "https://s.example/x", id="root-relative"),
    pytest.param("y.html", "https://s.example/feeds/y.html", id="path-relative"),
    pytest.param("//cdn.example/z", "https://cdn.example/z", id="protocol-relative"),
    pytest.param("javascript:alert(1)", None, id="script-refused"),
    pytest.param("mailto:a@b.example", None, id="mailto-refused"),
    pytest.param("  ", None, id="blank"),
]


@pytest.mark.parametrize(("link", "resolved"), RESOLVE_CASES)
def test_resolve_link(link: str, resolved: str | None) -> None:
    assert resolve_link(link, "https://s.example/feeds/rss.xml") == resolved


TEXT_CASES = [
    pytest.param("<p>One</p><p>Two &amp; three</p>", "One\nTwo & three", id="paragraphs"),
    pytest.param("A<br/>B", "A\nB", id="line-break"),
    pytest.param("<b>$10bn</b>.", "$10bn.", id="inline-tag-no-space"),
    pytest.param("x<script>var a = '<p>';</script>y<style>p{}</style>", "xy", id="script-style"),
    pytest.param("a <!-- hidden --> b", "a b", id="comment"),
    pytest.param("Plain   text\u00a0here", "Plain text here", id="plain"),
    pytest.param("&laquo;Кавычки&raquo; &#1044;", "«Кавычки» Д", id="entities"),
]


@pytest.mark.parametrize(("markup", "text"), TEXT_CASES)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-US", "en"), ("ru_RU", "ru"), ("uzb", "uz"), ("Russian", "ru"), ("x-klingon", None),
     ("", None), (None, None)],
)  # fmt: skip
def test_normalise_language(tag: str | None, code: str | None) -> None:
    assert normalise_language(tag) == code


CHARSET_CASES = [
    pytest.param("Ташкент".encode("cp1251"), None, "Ташкент", id="cp1251-guessed"),
    pytest.param("Ташкент".encode(), "text/xml; charset=latin-1", "Ташкент", id="utf8-mislabelled"),
    pytest.param("Élysée à côté".encode("cp1252"), None, "Élysée à côté", id="western-guessed"),
    pytest.param("\ufeffАстана".encode("utf-16-le"), None, "Астана", id="utf16-bom"),
]


@pytest.mark.parametrize(("body", "content_type", "text"), CHARSET_CASES)
def test_charset_repair(body: bytes, content_type: str | None, text: str) -> None:
    wrapped = b"<a>" + body + b"</a>" if not body.startswith(b"\xff\xfe") else body
    data, _ = to_utf8(wrapped, content_type)
    assert text in data.decode("utf-8")
