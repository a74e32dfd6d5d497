"""Event fields: dates in more languages and relative to the publication date, status from the
date, an inferred date for a held meeting, the city shown for a venue, the agency's dateline
left out, and the host read from the direction of travel (sentences written for this file)."""

from __future__ import annotations

from datetime import date

import pytest

from classifier.dates import find_date, relative_date
from classifier.detector import Detector

PUBLISHED = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("新华社北京1月24日电", date(2024, 1, 24), id="zh-month-day"),
        pytest.param("当地时间15日上午", date(2024, 3, 15), id="zh-day-of-publication-month"),
        pytest.param("2023年11月5日", date(2023, 11, 5), id="zh-full"),
        pytest.param("في الفترة 23 – 25 يناير", date(2024, 1, 23), id="ar-range-first-day"),
        pytest.param(
            "ДУШАНБЕ, 15 сен — Sputnik.", date(2024, 9, 15), id="ru-dateline-abbreviation"
        ),
        pytest.param("БИШКЕК, 5-ноя.", date(2024, 11, 5), id="ky-hyphen-abbreviation"),
        pytest.param("17-уми апрел", date(2024, 4, 17), id="tg-ordinal"),
        pytest.param("16.05.2018 завершился визит", date(2018, 5, 16), id="numeric"),
        pytest.param("8 avqust 2024-cü il", date(2024, 8, 8), id="az-month"),
        pytest.param("first on June 11, then 5 July", date(2024, 6, 11), id="earliest-first"),
    ],
)
def test_find_date_in_more_languages(text: str, expected: date) -> None:
    assert find_date(text, PUBLISHED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Сегодня в Астане прошли переговоры", PUBLISHED, id="ru-today"),
        pytest.param("Yesterday the presidents met", date(2024, 2, 29), id="en-yesterday"),
        pytest.param("Бүгін Президент келді", PUBLISHED, id="kk-today"),
        pytest.param("وصل اليوم الرئيس", PUBLISHED, id="ar-today"),
        pytest.param("The presidents met in Astana", None, id="none"),
    ],
)
def test_relative_date(text: str, expected: date | None) -> None:
    assert relative_date(text, PUBLISHED) == expected


def test_relative_date_needs_the_publication_date() -> None:
    assert relative_date("Сегодня в Астане", None) is None


def test_future_date_is_announced_and_held_meeting_gets_an_inferred_date(
    detector: Detector,
) -> None:
    text = "Президент Узбекистана Шавкат Мирзиёев и Президент Казахстана Касым-Жомарт Токаев"
    coming = detector.classify(
        "Саммит в Астане 20 марта", text + ", саммит 20 марта.", "ru", PUBLISHED
    )
    assert (coming.status, coming.event_date, coming.date_inferred) == (
        "announced",
        date(2024, 3, 20),
        False,
    )
    held = detector.classify(
        "Токаев и Мирзиёев провели переговоры", text + " провели переговоры.", "ru", PUBLISHED
    )
    assert (held.status, held.event_date, held.date_inferred) == ("held", PUBLISHED, True)


@pytest.mark.parametrize(
    ("lang", "title", "text", "place", "visitor", "host"),
    [
        pytest.param(
            "ru",
            "Токаев принял Мирзиёева в Акорде",
            "Президент Казахстана Касым-Жомарт Токаев провел в Акорде переговоры с Президентом "
            "Узбекистана Шавкатом Мирзиёевым.",
            "Astana",
            "UZ",
            "KZ",
            id="ru-residence-shown-as-city",
        ),
        pytest.param(
            "en",
            "Mirziyoyev to pay a state visit to Kyrgyzstan",
            "ASTANA – Uzbek President Shavkat Mirziyoyev will pay a state visit to Kyrgyzstan "
            "next month for talks with President Sadyr Japarov.",
            None,
            "UZ",
            "KG",
            id="en-dateline-is-no-place-preposition-gives-host",
        ),
        pytest.param(
            "uz",
            "Prezident Turkmanistonga jo'nab ketdi",
            "Prezident Shavkat Mirziyoyev Turkmaniston Prezidenti Serdar Berdimuhamedov bilan "
            "muzokaralar o'tkazish uchun Turkmanistonga jo'nab ketdi.",
            None,
            "UZ",
            "TM",
            id="uz-dative-gives-host",
        ),
        pytest.param(
            "ar",
            "رئيس جمهورية أوزبكستان سيقوم بزيارة رسمية لطاجيكستان",
            "سيقوم الرئيس شوكت ميرزيوييف بزيارة رسمية لطاجيكستان يجري خلالها محادثات مع "
            "الرئيس إمام علي رحمون.",
            None,
            "UZ",
            "TJ",
            id="ar-glued-preposition-gives-host",
        ),
        pytest.param(
            "zh",
            "习近平在撒马尔罕会见吉尔吉斯斯坦总统",
            "国家主席习近平在撒马尔罕出席上海合作组织峰会期间会见吉尔吉斯斯坦总统扎帕罗夫。",
            "Samarkand",
            None,
            None,
            id="zh-third-country-shanghai-is-the-organisation",
        ),
    ],
)
def test_place_and_direction(
    detector: Detector,
    lang: str,
    title: str,
    text: str,
    place: str | None,
    visitor: str | None,
    host: str | None,
) -> None:
    v = detector.classify(title, text, lang)
    assert (v.place, v.visitor, v.host) == (place, visitor, host), v.summary
