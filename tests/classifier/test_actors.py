"""Who acts in an item: heads of two states, a minister as principal, datelines, venues, former
leaders, and names in the scripts the seeds never use (all sentences written for this file)."""

from __future__ import annotations

from datetime import date

import pytest
from babel import Locale

from classifier.actors import heads, is_dateline, minister_leads
from classifier.cues import CueLexicon, _unfold
from classifier.event import pick_pair
from classifier.features import analyse
from classifier.gazetteer import Gazetteer

WATCHED = ("KZ", "KG", "TJ", "TM", "UZ")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.fixture(scope="module")
def lex() -> CueLexicon:
    return CueLexicon.default()


def _heads(gaz: Gazetteer, lex: CueLexicon, text: str) -> set[str]:
    return heads(tuple(gaz.find(text)), tuple(lex.find(text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Kazakh President Tokayev met the President of Uzbekistan", {"KZ", "UZ"}, id="en"
        ),
        pytest.param(
            "President Tokayev received the Chinese Foreign Minister", {"KZ"}, id="en-minister"
        ),
        pytest.param(
            "Президент Беларуси поздравил Президента Кыргызстана Садыра Жапарова",
            {"BY", "KG"},
            id="ru-titles",
        ),
        pytest.param("le président français a reçu son homologue ouzbek", {"FR", "UZ"}, id="fr"),
        pytest.param("Türkmenistan Devlet Başkanı ile görüştü", {"TM"}, id="tr-title-after"),
        pytest.param("رئيس جمهورية أوزبكستان سيقوم بزيارة رسمية لطاجيكستان", {"UZ"}, id="ar"),
        pytest.param("习近平会见吉尔吉斯斯坦总统扎帕罗夫", {"CN", "KG"}, id="zh"),
        pytest.param("Chairman of the Cabinet of Ministers of Kyrgyzstan", {"KG"}, id="en-cabinet"),
    ],
)
def test_heads_of_which_states(
    gaz: Gazetteer, lex: CueLexicon, text: str, expected: set[str]
) -> None:
    assert _heads(gaz, lex, text) == expected


@pytest.mark.parametrize(
    ("title", "lead", "expected"),
    [
        pytest.param(
            "Chinese Foreign Minister visits Astana",
            "He met President Tokayev.",
            True,
            id="en-minister-first",
        ),
        pytest.param(
            "Tokayev and Mirziyoyev hold talks",
            "The foreign ministers signed a plan.",
            False,
            id="en-leaders-first",
        ),
        pytest.param("Глава МИД Кыргызстана прибыл в Ашхабад", "", True, id="ru-minister-title"),
        pytest.param(
            "Председатель Кабинета министров прибыл в Астану", "", False, id="ru-cabinet-chair"
        ),
        pytest.param("Премьер-министрі Астанаға келді", "", False, id="kk-prime-minister"),
    ],
)
def test_minister_as_principal(
    gaz: Gazetteer, lex: CueLexicon, title: str, lead: str, expected: bool
) -> None:
    parts = [(tuple(gaz.find(t)), tuple(lex.find(t))) for t in (title, lead)]
    assert minister_leads(parts[0], parts[1]) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("ДУШАНБЕ, 29 ноя — Sputnik.", True, id="ru-sputnik"),
        pytest.param("БИШКЕК, 26-май — Sputnik.", True, id="ky-hyphen"),
        pytest.param("МОСКВА, 5 мая. /ТАСС/.", True, id="ru-tass"),
        pytest.param("Tokayev arrives in Tashkent", False, id="en-headline"),
        pytest.param("Xi, Tokayev hold talks", False, id="en-two-names"),
    ],
)
def test_dateline_headline(title: str, expected: bool) -> None:
    assert is_dateline(title) is expected


def test_dateline_headline_is_replaced_by_the_first_sentence(
    gaz: Gazetteer, lex: CueLexicon
) -> None:
    text = (
        "ДУШАНБЕ, 10 июн — Sputnik. Эмомали Рахмон провел переговоры с Шавкатом Мирзиёевым. Далее."
    )
    a = analyse("ДУШАНБЕ, 10 июн — Sputnik.", text, gaz, lex)
    assert a.title == "Эмомали Рахмон провел переговоры с Шавкатом Мирзиёевым."
    assert a.headline_at is not None and text[a.headline_at :].startswith(a.title)


@pytest.mark.parametrize(
    ("title", "text", "pair"),
    [
        pytest.param(
            "Xi and Putin meet in Astana",
            "Chinese President Xi Jinping and Russian President Vladimir Putin held talks in "
            "Astana.",
            (),
            id="en-venue-only",
        ),
        pytest.param(
            "Си Цзиньпин прибыл в Казахстан",
            "Председатель КНР Си Цзиньпин прибыл в Казахстан с визитом; позже он встретится с "
            "Путиным.",
            ("KZ", "CN"),
            id="ru-destination-is-a-party",
        ),
        pytest.param(
            "Macron reçoit le président ouzbek",
            "Emmanuel Macron a reçu Chavkat Mirzioïev, alors que la Russie s'éloigne ; la Russie "
            "reste un partenaire, dit la Russie.",
            ("UZ", "FR"),
            id="fr-leaders-before-mentions",
        ),
    ],
)
def test_pair_is_made_of_heads(
    gaz: Gazetteer, lex: CueLexicon, title: str, text: str, pair: tuple[str, ...]
) -> None:
    assert pick_pair(analyse(title, text, gaz, lex), WATCHED) == pair


@pytest.mark.parametrize(
    ("on", "kind"),
    [
        pytest.param(date(2015, 5, 1), "leader", id="in-office"),
        pytest.param(date(2024, 5, 1), "former", id="after-2022"),
    ],
)
def test_former_leader_heads_no_state(gaz: Gazetteer, on: date, kind: str) -> None:
    (m,) = gaz.find("Gurbanguly Berdimuhamedov", on)
    assert (m.kind, m.code) == (kind, "TM")


@pytest.mark.parametrize("locale", ["ar", "fa", "zh", "zh_Hant", "az", "uz_Cyrl", "ky", "tk"])
def test_cldr_names_of_the_watched_states(gaz: Gazetteer, locale: str) -> None:
    names = Locale.parse(locale).territories
    for code in WATCHED:
        found = [(m.kind, m.code) for m in gaz.find(f"— {names[code]} —")]
        assert found and found[0][1] == code, (locale, code, names[code], found)


@pytest.mark.parametrize(
    ("text", "code", "surface"),
    [
        pytest.param("بزيارة رسمية لطاجيكستان", "TJ", "طاجيكستان", id="ar-preposition-glued"),
        pytest.param("الرئيس الكازاخستاني", "KZ", "كازاخستاني", id="ar-article-nisba"),
        pytest.param("والصين", "CN", "الصين", id="ar-conjunction"),
        pytest.param("همتای قزاقستانی خود", "KZ", "قزاقستانی", id="fa-adjective"),
        pytest.param("به عشق\u200cآباد", "TM", "عشق\u200cآباد", id="fa-zero-width-joiner"),
        pytest.param("Özbəkistana rəsmi səfər", "UZ", "Özbəkistana", id="az-dative"),
        pytest.param("Prezident Tokayevlə görüşüb", "KZ", "Tokayevlə", id="az-comitative"),
        pytest.param("國家主席習近平", "CN", "習近平", id="zh-traditional"),
    ],
)
def test_names_in_other_scripts(gaz: Gazetteer, text: str, code: str, surface: str) -> None:
    found = [(m.code, m.text) for m in gaz.find(text)]
    assert (code, surface) in found, found


@pytest.mark.parametrize(
    ("cue", "text", "hit"),
    [
        pytest.param("talks", "习近平同乌兹别克斯坦总统米尔济约耶夫会谈", "会谈", id="zh-unspaced"),
        pytest.param("phone_call", "国家主席习近平同托卡耶夫通电话", "通电话", id="zh-phone"),
        pytest.param("held", "واجرى الرئيسان محادثات", "واجرى", id="ar-hamza-folded"),
        pytest.param("formal_visit", "بزيارة الدولة للصين", "بزيارة الدولة", id="ar-state-visit"),
        pytest.param("formal_visit", "به منظور انجام سفر رسمی", "سفر رسمی", id="fa-official-visit"),
        pytest.param(
            "phone_call", "mit Mirsijojew telefoniert", "telefoniert", id="de-telefoniert"
        ),
        pytest.param(
            "phone_call", "im Telefongespräch", "Telefongespräch", id="de-telefongespraech"
        ),
        pytest.param(
            "working_visit", "Moskvaga amaliy tashrif bilan", "amaliy tashrif", id="uz-amaliy"
        ),
    ],
)
def test_cues_in_other_languages(lex: CueLexicon, cue: str, text: str, hit: str) -> None:
    assert (cue, hit) in {(h.cue, h.text) for h in lex.find(text)}, lex.find(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("председатель Кабинета министров Кыргызстана", id="ru-cabinet"),
        pytest.param("Қазақстан Премьер-министрі", id="kk-prime-minister"),
    ],
)
def test_heads_of_government_are_no_ministers(lex: CueLexicon, text: str) -> None:
    cues = {h.cue for h in lex.find(text)}
    assert "leader_title" in cues and "ministerial" not in cues


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("(?:و)?التقى", ["والتقى", "التقى"], id="ar-conjunction"),
        pytest.param("(?:a|b)?cd", ["acd", "bcd", "cd"], id="two-alternatives"),
        pytest.param("abc", ["abc"], id="literal"),
        pytest.param("(?:a|b)c|d", ["(?:a|b)c|d"], id="top-level-bar-kept"),
    ],
)
def test_leading_optional_groups_are_spelled_out(pattern: str, expected: list[str]) -> None:
    # patterns that begin with a literal letter are tried only where that letter is: speed
    assert _unfold(pattern) == expected
