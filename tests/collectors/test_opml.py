"""OPML import (1.0 and 2.0, nested outlines, bad input) and export round trips."""

from __future__ import annotations

import pytest

from collectors.opml import OpmlError, OpmlFeed, export_opml, parse_opml

OPML_20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Central Asia</title></head>
  <body>
    <outline text="Kazakhstan">
      <outline text="Agencies">
        <outline type="rss" text="Kazinform (en)" xmlUrl="https://kazinform.example/rss/en"/>
      </outline>
      <outline type="rss" title="MFA" text="ignored" xmlUrl="https://mfa.kz.example/rss"/>
    </outline>
    <outline type="rss" text="Top level" xmlUrl="feed://top.example/rss" category="/Wires/World"/>
    <outline type="rss" text="Duplicate" xmlUrl="https://kazinform.example/rss/en"/>
  </body>
</opml>"""

OPML_10 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0"><head><title>Old export</title></head><body>
<outline title="Press" text="Press"><outline text="Pr\xe9sidence" type="rss" XMLURL="http://presidence.example/rss.xml"/></outline>
</body></opml>"""


def test_opml_2_nested_outlines() -> None:
    assert parse_opml(OPML_20) == [
        OpmlFeed("https://kazinform.example/rss/en", "Kazinform (en)", "Kazakhstan / Agencies"),
        OpmlFeed("https://mfa.kz.example/rss", "MFA", "Kazakhstan"),
        OpmlFeed("http://top.example/rss", "Top level", "Wires/World"),
    ]


def test_opml_1_with_odd_attribute_case_and_latin_1() -> None:
    assert parse_opml(OPML_10) == [
        OpmlFeed("http://presidence.example/rss.xml", "Présidence", "Press")
    ]


BAD_CASES = [
    pytest.param(b"", "empty", id="empty"),
    pytest.param(b"<opml><body><outline", "line 1", id="not-well-formed"),
    pytest.param(b"<rss version='2.0'/>", "<rss>", id="not-opml"),
    pytest.param(b"<opml version='2.0'><head/></opml>", "no <body>", id="no-body"),
    pytest.param(
        b"<opml><body><outline text='x' xmlUrl='ftp://x.example/f'/></body></opml>",
        "ftp://x.example/f",
        id="bad-url",
    ),
]


@pytest.mark.parametrize(("data", "phrase"), BAD_CASES)
def test_bad_opml_gets_a_clear_error(data: bytes, phrase: str) -> None:
    with pytest.raises(OpmlError) as caught:
        parse_opml(data)
    assert phrase in str(caught.value)


def test_export_then_import_round_trip() -> None:
    feeds = [
        OpmlFeed("https://a.example/rss", "Agency A", "Uzbekistan / Agencies"),
        OpmlFeed("https://b.example/rss", "Ministry & Co <b>", "Uzbekistan"),
        OpmlFeed("https://c.example/rss", None, None),
        OpmlFeed("https://d.example/rss", "Отдел", "Kyrgyzstan / Agencies"),
    ]
    text = export_opml(feeds, title="Test export")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    back = parse_opml(text.encode("utf-8"))
    expected = [f if f.title else OpmlFeed(f.url, f.url, f.category) for f in feeds]
    assert sorted(back, key=lambda f: f.url) == expected
