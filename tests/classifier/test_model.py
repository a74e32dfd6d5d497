"""The seed-trained model: quality floor on held-out examples, verdicts on hard cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.detector import Detector
from classifier.evaluation import evaluate
from classifier.model import SummitModel
from classifier.training import TrainingDataError, load_seeds, read_jsonl, train

HELDOUT = Path(__file__).parent / "data" / "heldout.jsonl"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_quality_floor_on_held_out_examples(detector: Detector) -> None:
    report = evaluate(detector, read_jsonl(HELDOUT))
    assert report.n >= 100
    assert report.overall["f1"] >= 0.85, report.errors
    assert report.dyad_accuracy >= 0.85
    for category in ("phone_call", "ministerial_or_lower", "multilateral_summit"):
        assert report.by_category[category]["rate"] <= 0.2, (category, report.errors)


CASES = [
    # (id, title, text, flagged, pair)
    (
        "en-state-visit",
        "Tokayev arrives in Tashkent on a state visit",
        "President Kassym-Jomart Tokayev held talks with President Shavkat Mirziyoyev; the two "
        "leaders signed a treaty on allied relations.",
        True,
        {"KZ", "UZ"},
    ),
    (
        "ru-talks",
        "Рахмон и Жапаров провели переговоры в Душанбе",
        "Президент Таджикистана Эмомали Рахмон и Президент Кыргызстана Садыр Жапаров обсудили "
        "вопросы делимитации границы и подписали ряд соглашений.",
        True,
        {"TJ", "KG"},
    ),
    (
        "fr-visit",
        "Emmanuel Macron reçu à Astana par Kassym-Jomart Tokaïev",
        "Le président français a été accueilli par son homologue kazakh pour une visite "
        "officielle consacrée à l'uranium et aux minerais critiques.",
        True,
        {"FR", "KZ"},
    ),
    (
        "en-phone",
        "Mirziyoyev and Putin discuss cooperation by phone",
        "In a telephone conversation, the presidents of Uzbekistan and Russia discussed trade "
        "and agreed to meet soon.",
        False,
        None,
    ),
    (
        "ru-phone",
        "Токаев провел телефонный разговор с Эрдоганом",
        "Президенты Казахстана и Турции обсудили по телефону двустороннее сотрудничество.",
        False,
        None,
    ),
    (
        "fr-multilateral",
        "Sommet de l'OCS à Astana : les dirigeants adoptent une déclaration",
        "Les chefs d'État de Russie, de Chine, d'Inde, du Kazakhstan, de l'Ouzbékistan et du "
        "Tadjikistan ont participé au sommet de l'Organisation de coopération de Shanghai.",
        False,
        None,
    ),
    (
        "en-multilateral",
        "Central Asia leaders meet in Bishkek for the consultative meeting",
        "The presidents of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan "
        "gathered for their annual consultative meeting.",
        False,
        None,
    ),
    (
        "en-ministerial",
        "Uzbek foreign minister holds talks in Ankara",
        "Foreign Minister Bakhtiyor Saidov met his Turkish counterpart Hakan Fidan to prepare "
        "upcoming contacts.",
        False,
        None,
    ),
    (
        "ru-ministerial",
        "Глава МИД Кыргызстана прибыл с визитом в Ашхабад",
        "Министр иностранных дел Жээнбек Кулубаев провел переговоры с министром иностранных дел "
        "Туркменистана Рашидом Мередовым.",
        False,
        None,
    ),
    (
        "en-non-ca",
        "Putin and Xi hold talks in Beijing",
        "The Russian and Chinese leaders discussed energy and trade during a state visit.",
        False,
        None,
    ),
    (
        "en-ca-other",
        "Kazakhstan's wheat exports to China rise by a fifth",
        "Grain shipments from Kazakhstan grew in the first ten months, the ministry said.",
        False,
        None,
    ),
]


@pytest.mark.parametrize(
    ("title", "text", "flagged", "pair"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_verdicts_on_hard_cases(
    detector: Detector, title: str, text: str, flagged: bool, pair: set[str] | None
) -> None:
    verdict = detector.classify(title, text)
    assert verdict.label is flagged, (verdict.score, verdict.summary, verdict.reasons)
    if pair is not None:
        assert set(verdict.countries) == pair
        assert verdict.summary and verdict.reasons and verdict.evidence
    assert 0.0 <= verdict.score <= 1.0


def test_watched_countries_change_the_verdict(seed_model: SummitModel) -> None:
    title, text = "Putin and Xi hold talks in Beijing", "The leaders met during a state visit."
    assert not Detector(seed_model).classify(title, text).label
    watched_ru = Detector(seed_model, watched={"RU"}).classify(title, text)
    assert set(watched_ru.countries) == {"RU", "CN"}


def test_training_is_deterministic() -> None:
    examples = load_seeds(SEEDS)[:120]
    a, b = train(examples), train(examples)
    assert a.version == b.version
    assert (a.coef == b.coef).all()


def test_model_carries_its_metadata(seed_model: SummitModel) -> None:
    assert seed_model.version.startswith("sw-")
    assert seed_model.n_train > 100 and seed_model.trained_at and seed_model.sklearn_version
    assert 0.0 <= seed_model.metrics["cv_f1"] <= 1.0


def test_bad_labels_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"title": "x", "text": "y", "label": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"labels\.jsonl:2"):
        read_jsonl(bad)
