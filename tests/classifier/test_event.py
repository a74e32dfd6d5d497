"""The event read out of a verdict: where it happens (shown by name, not inflected) and whether
it is announced or already held, across languages."""

from __future__ import annotations

import pytest

from classifier.detector import Detector

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
