"""The event read out of a verdict: where it happens (shown by name, not inflected) and whether
it is announced or already held, across languages."""

from __future__ import annotations

from datetime import date

import pytest

from classifier.detector import Detector
from classifier.event import find_date

CASES = [
    pytest.param(
        "Vengriya Bosh vaziri Viktor Orban Toshkentga keladi",
        "Vengriya Bosh vaziri Viktor Orban kelgusi hafta O'zbekistonga rasmiy tashrif bilan "
        "keladi. Prezident Shavkat Mirziyoyev bilan muzokaralar o'tkaziladi.",
        "Tashkent",
        "announced",
        id="uz-dative-capital-future",
    ),
    pytest.param(
        "Токаев прибыл в Душанбе",
        "Президент Казахстана Касым-Жомарт Токаев прибыл в Душанбе с государственным визитом. "
        "В аэропорту его встретил Президент Таджикистана Эмомали Рахмон. Лидеры провели "
        "переговоры.",
        "Dushanbe",
        "held",
        id="ru-capital-past",
    ),
    pytest.param(
        "Cumhurbaşkanı Erdoğan Aşkabat'a gidecek",
        "Cumhurbaşkanı Recep Tayyip Erdoğan gelecek hafta Türkmenistan'a resmi ziyarette "
        "bulunacak ve Devlet Başkanı Serdar Berdimuhamedov ile görüşecek.",
        "Ashgabat",
        "announced",
        id="tr-capital-future",
    ),
]


@pytest.mark.parametrize(("title", "text", "place", "status"), CASES)
def test_place_and_status(
    detector: Detector, title: str, text: str, place: str, status: str
) -> None:
    verdict = detector.classify(title, text)
    assert verdict.label, verdict.summary
    assert (verdict.place, verdict.status) == (place, status)


REF = date(2024, 3, 1)  # publication date: gives the year when the text omits it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("on 22-23 August 2024 in Astana", date(2024, 8, 22), id="en-range-year"),
        pytest.param("arrives on June 11", date(2024, 6, 11), id="en-month-day"),
        pytest.param("le 3 mars 2025 à Paris", date(2025, 3, 3), id="fr"),
        pytest.param("прибудет 5 ноября", date(2024, 11, 5), id="ru-genitive"),
        pytest.param("am 5. Juni in Berlin", date(2024, 6, 5), id="de-ordinal-dot"),
        pytest.param("7-oktabr kuni Toshkentda", date(2024, 10, 7), id="uz-hyphen"),
        pytest.param("20-21 fevral kunlari", date(2024, 2, 20), id="uz-range"),
        pytest.param("10-njy iýunda başlanar", date(2024, 6, 10), id="tk-ordinal-locative"),
        pytest.param("27 қарашада келеді", date(2024, 11, 27), id="kk-locative"),
        pytest.param("12 Haziran'da Ankara'da", date(2024, 6, 12), id="tr-apostrophe-case"),
        pytest.param("15 сентябри соли 2024", date(2024, 9, 15), id="tg-month"),
        pytest.param("5 mayor candidates", None, id="en-not-a-month"),
        pytest.param("a 3 marker pen", None, id="en-no-month-inside-word"),
        pytest.param("31 February", None, id="impossible-date"),
    ],
)
def test_find_date(text: str, expected: date | None) -> None:
    assert find_date(text, REF) == expected


def test_find_date_needs_a_year() -> None:
    assert find_date("on 5 June", None) is None
    assert find_date("on 5 June 2023", None) == date(2023, 6, 5)
