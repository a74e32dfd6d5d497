"""Cue lexicon: each class is detected on short sentences per language and not on near-misses."""

from __future__ import annotations

import pytest

from classifier.cues import CUE_CLASSES, CueLexicon


@pytest.fixture(scope="module")
def lex() -> CueLexicon:
    return CueLexicon.default()


# (cue class, language, sentence, the text of the expected hit)
DETECTED = [
    ("leader_title", "en", "The President of Kazakhstan arrived.", "President"),
    ("leader_title", "ru", "Президент Узбекистана прибыл.", "Президент"),
    ("leader_title", "fr", "Le chef de l'État tadjik", "chef de l'État"),
    ("leader_title", "tr", "Cumhurbaşkanı Erdoğan", "Cumhurbaşkanı"),
    ("leader_title", "uz", "Prezident Shavkat Mirziyoyev", "Prezident"),
    ("leader_title", "kk", "Мемлекет басшысы Астанада", "Мемлекет басшысы"),
    ("state_visit", "en", "Tokayev begins a state visit to Baku", "state visit"),
    ("state_visit", "ru", "с государственным визитом в Ташкент", "государственным визитом"),
    ("state_visit", "fr", "une visite d'État à Astana", "visite d'État"),
    ("state_visit", "tr", "resmi ziyaret kapsamında", "resmi ziyaret"),
    ("state_visit", "uz", "davlat tashrifi bilan", "davlat tashrifi"),
    ("state_visit", "kk", "мемлекеттік сапармен келді", "мемлекеттік сапармен"),
    ("formal_visit", "en", "Tokayev begins a state visit to Baku", "state visit"),
    ("formal_visit", "ru", "с официальным визитом в Ташкент", "официальным визитом"),
    ("formal_visit", "fr", "une visite d'État à Astana", "visite d'État"),
    ("working_visit", "en", "arrived in Kazan on a working visit", "working visit"),
    ("working_visit", "ru", "прибыл с рабочим визитом", "рабочим визитом"),
    ("working_visit", "uz", "ishchi tashrif bilan keldi", "ishchi tashrif"),
    ("talks", "en", "The leaders held talks in Tashkent.", "held talks"),
    ("talks", "ru", "провели переговоры в узком формате", "переговоры"),
    ("talks", "fr", "ils se sont entretenus en format restreint", "se sont entretenus"),
    ("talks", "tr", "iki lider baş başa görüştü", "baş başa"),
    ("talks", "uz", "muzokaralar tor doirada o'tdi", "muzokaralar"),
    ("talks", "kk", "келіссөздер шағын құрамда өтті", "келіссөздер"),
    ("counterpart", "en", "met his Tajik counterpart", "counterpart"),
    ("counterpart", "ru", "со своим узбекским коллегой", "коллегой"),
    ("counterpart", "fr", "son homologue ouzbek", "homologue"),
    ("counterpart", "tr", "Kazak mevkidaşı ile", "mevkidaşı"),
    ("counterpart", "uz", "qozog'istonlik hamkasbi bilan", "hamkasbi"),
    ("counterpart", "kk", "өзбек әріптесімен", "әріптесімен"),
    ("summit", "en", "a bilateral summit in Astana", "summit"),
    ("summit", "ru", "на саммите в Самарканде", "саммите"),
    ("summit", "fr", "le sommet de Douchanbé", "sommet"),
    ("summit", "tr", "Semerkant zirvesi", "zirvesi"),
    ("summit", "uz", "Samarqanddagi sammitda", "sammitda"),
    ("summit", "kk", "жоғары деңгейдегі кездесу", "жоғары деңгейдегі"),
    ("agreements", "en", "The sides signed 12 agreements.", "signed"),
    ("agreements", "ru", "подписали пакет соглашений", "подписали"),
    ("agreements", "fr", "les accords signés à Paris", "accords"),
    ("agreements", "tr", "anlaşmalar imzalandı", "anlaşmalar"),
    ("agreements", "uz", "kelishuvlar imzolandi", "kelishuvlar"),
    ("agreements", "kk", "келісімдерге қол қойды", "келісімдерге"),
    ("announcement", "en", "Mirziyoyev will visit Ankara next week", "will visit"),
    ("announcement", "ru", "Токаев посетит Бишкек", "посетит"),
    ("announcement", "fr", "Macron se rendra en Ouzbékistan", "se rendra"),
    ("announcement", "tr", "Erdoğan Özbekistan'ı ziyaret edecek", "ziyaret edecek"),
    ("announcement", "uz", "Prezident Qozog'istonga tashrif buyuradi", "tashrif buyuradi"),
    ("announcement", "kk", "Президент Ташкентке сапармен барады", "сапармен барады"),
    ("held", "en", "Japarov arrived in Dushanbe", "arrived"),
    ("held", "ru", "Мирзиёев прибыл в Астану", "прибыл"),
    ("held", "fr", "Tokaïev est arrivé à Tachkent", "est arrivé"),
    ("held", "tr", "Cumhurbaşkanı Ankara'ya geldi", "geldi"),
    ("held", "uz", "Prezident Toshkentga keldi", "keldi"),
    ("held", "kk", "Президент Бішкекке келді", "келді"),
    (
        "welcome_ceremony",
        "en",
        "an official welcome ceremony at the palace",
        "official welcome ceremony",
    ),
    ("welcome_ceremony", "ru", "почетный караул выстроился", "почетный караул"),
    ("welcome_ceremony", "fr", "une garde d'honneur attendait", "garde d'honneur"),
    ("welcome_ceremony", "tr", "resmi törenle karşılandı", "resmi törenle"),
    ("welcome_ceremony", "uz", "faxriy qorovul saf tortdi", "faxriy qorovul"),
    ("welcome_ceremony", "kk", "әуежайда қарсы алды", "әуежайда"),
    ("multilateral", "en", "the SCO summit in Astana", "SCO"),
    ("multilateral", "en", "the C5+1 format", "C5+1"),
    ("multilateral", "en", "the Central Asia + China summit", "Central Asia + China"),
    ("multilateral", "ru", "на саммите ШОС", "ШОС"),
    ("multilateral", "ru", "Консультативная встреча глав государств", "Консультативная встреча"),
    ("multilateral", "fr", "le sommet de l'OCS", "OCS"),
    ("multilateral", "fr", "à l'Assemblée générale de l'ONU", "Assemblée générale"),
    ("multilateral", "tr", "Türk Devletleri Teşkilatı zirvesi", "Türk Devletleri Teşkilatı"),
    ("multilateral", "uz", "Turkiy davlatlar tashkiloti sammiti", "Turkiy davlatlar tashkiloti"),
    ("multilateral", "kk", "ШЫҰ саммиті", "ШЫҰ"),
    ("multilateral", "en", "speech at the UN", "UN"),
    ("ministerial", "en", "the foreign minister arrived", "foreign minister"),
    ("ministerial", "ru", "министр иностранных дел Казахстана", "министр"),
    ("ministerial", "fr", "le ministre des Affaires étrangères", "ministre"),
    ("ministerial", "tr", "Dışişleri Bakanı Fidan", "Dışişleri Bakanı"),
    ("ministerial", "uz", "tashqi ishlar vaziri Saidov", "tashqi ishlar vaziri"),
    ("ministerial", "kk", "Сыртқы істер министрі", "Сыртқы істер министрі"),
    ("parliamentary", "en", "the Speaker of the Majilis", "Speaker"),
    ("parliamentary", "ru", "спикер Мажилиса", "спикер"),
    ("parliamentary", "fr", "le président du Sénat", "président du Sénat"),
    ("parliamentary", "tr", "TBMM Başkanı", "TBMM"),
    ("parliamentary", "uz", "Oliy Majlis Senati", "Oliy Majlis"),
    ("parliamentary", "kk", "Мәжіліс Төрағасы", "Мәжіліс"),
    ("phone_call", "en", "Tokayev held a phone call with Putin", "phone call"),
    ("phone_call", "ru", "состоялся телефонный разговор", "телефонный разговор"),
    ("phone_call", "fr", "un entretien téléphonique avec Macron", "entretien téléphonique"),
    ("phone_call", "tr", "Erdoğan Tokayev ile telefonda görüştü", "telefonda görüştü"),
    ("phone_call", "uz", "telefon orqali muloqot qildi", "telefon orqali"),
    ("phone_call", "kk", "телефон арқылы сөйлесті", "телефон арқылы"),
    ("message", "en", "Tokayev congratulated Erdoğan on his birthday", "congratulated"),
    ("message", "ru", "направил поздравительную телеграмму", "телеграмму"),
    ("message", "tr", "bir tebrik mesajı gönderdi", "tebrik"),
    ("message", "ar", "بعث برقية تهنئة", "برقية"),
    ("message", "zh", "习近平致电托卡耶夫", "致电"),
    ("sidelines", "en", "met on the sidelines of the SCO summit", "on the sidelines"),
    ("sidelines", "ru", "на полях саммита", "на полях"),
    ("sidelines", "fr", "en marge du sommet", "en marge"),
    ("sidelines", "tr", "zirve marjında görüştü", "marjında"),
    ("sidelines", "uz", "sammit marjinlarida uchrashdi", "marjinlarida"),
    ("sidelines", "kk", "саммит кулуарында кездесті", "кулуарында"),
    ("bilateral", "en", "bilateral relations", "bilateral"),
    ("bilateral", "ru", "двустороннее сотрудничество", "двустороннее"),
    ("bilateral", "fr", "les relations bilatérales", "bilatérales"),
    ("bilateral", "tr", "ikili ilişkiler", "ikili"),
    ("bilateral", "uz", "ikki tomonlama hamkorlik", "ikki tomonlama"),
    ("bilateral", "kk", "екіжақты ынтымақтастық", "екіжақты"),
    ("attend", "en", "arrived in Astana to attend the SCO summit", "to attend"),
    ("attend", "ru", "прибыл в Астану для участия в саммите ШОС", "для участия в"),
    ("attend", "fr", "est arrivé pour participer au sommet", "pour participer"),
    ("attend", "tr", "zirveye katılmak üzere Astana'ya gitti", "katılmak"),
    ("attend", "uz", "sammitda ishtirok etadi", "ishtirok"),
    ("multilateral", "fr", "la Réunion consultative des chefs d'État", "Réunion consultative"),
    ("multilateral", "ru", "глав государств Центральной Азии", "глав государств Центральной Азии"),
]


@pytest.mark.parametrize(
    ("cue", "lang", "sentence", "hit"),
    DETECTED,
    ids=[f"{c}-{lg}-{h}" for c, lg, _, h in DETECTED],
)
def test_cue_detected(lex: CueLexicon, cue: str, lang: str, sentence: str, hit: str) -> None:
    hits = [h for h in lex.find(sentence) if h.cue == cue and h.text == hit]
    assert len(hits) == 1, lex.find(sentence)
    assert hits[0].lang == lang
    assert sentence[hits[0].start : hits[0].end] == hit


def test_every_class_is_covered_by_the_table(lex: CueLexicon) -> None:
    assert set(lex.classes()) == set(CUE_CLASSES) == {c for c, *_ in DETECTED}


# (sentence, cue class that must not fire)
NEAR_MISSES = [
    ("Visitors flocked to Samarkand.", "state_visit"),
    ("Ziyaretçi sayısı arttı.", "state_visit"),
    ("The vice-president arrived.", "leader_title"),
    ("Le premier ministre est arrivé.", "ministerial"),
    ("Премьер-министр прибыл.", "ministerial"),
    ("Prime Minister Bektenov spoke.", "ministerial"),
    ("Bosh vazir Aripov keldi.", "ministerial"),
    ("Il y a un accord.", "multilateral"),  # French "un" is not the UN
    ("Smartphone sales grew.", "phone_call"),
    ("Un sommelier a servi le vin.", "summit"),
    ("The stalks of wheat", "talks"),
    ("Les visiteurs du musée", "state_visit"),
    ("The shipment was withheld.", "held"),
    ("Il faut mettre fin.", "held"),
    ("The counterpartisan", "counterpart"),
    ("Послание президента", "ministerial"),
]


@pytest.mark.parametrize(("sentence", "cue"), NEAR_MISSES, ids=[s for s, _ in NEAR_MISSES])
def test_cue_not_triggered_on_near_miss(lex: CueLexicon, sentence: str, cue: str) -> None:
    assert cue not in {h.cue for h in lex.find(sentence)}


# Turkmen (Latin), Kyrgyz and Tajik (Cyrillic): state media of three watched countries write in
# them. (id, cue class, language, sentence, the text of the expected hit)
CENTRAL_ASIAN = [
    ("tk-leader", "leader_title", "tk", "Türkmenistanyň Döwlet Baştutany", "Döwlet Baştutany"),
    ("tk-state-visit", "state_visit", "tk", "döwlet sapary bilen Bakuwa geldi", "döwlet sapary"),
    ("tk-formal-visit", "formal_visit", "tk", "resmi sapar bilen Pekine bardy", "resmi sapar"),
    ("tk-working-visit", "working_visit", "tk", "iş sapary bilen Täşkende geldi", "iş sapary"),
    ("tk-talks", "talks", "tk", "iki Lider gepleşikleri geçirdi", "gepleşikleri"),
    ("tk-counterpart", "counterpart", "tk", "özbek kärdeşi bilen duşuşdy", "kärdeşi"),
    ("tk-summit", "summit", "tk", "ýokary derejedäki duşuşyk", "ýokary derejedäki"),
    ("tk-agreements", "agreements", "tk", "resminamalara gol çekildi", "gol çekildi"),
    (
        "tk-announcement",
        "announcement",
        "tk",
        "Prezident Ankarada resmi saparda bolar",
        "saparda bolar",
    ),
    ("tk-announcement-week", "announcement", "tk", "sammit geljek hepde geçiriler", "geljek hepde"),
    ("tk-held", "held", "tk", "Prezident Duşenbä gelip gowuşdy", "gelip gowuşdy"),
    (
        "tk-welcome",
        "welcome_ceremony",
        "tk",
        "Hormat garawulynyň öňünden geçdi",
        "Hormat garawulynyň",
    ),
    (
        "tk-multilateral-ots",
        "multilateral",
        "tk",
        "Türki döwletleriň guramasynyň sammiti",
        "Türki döwletleriň guramasynyň",
    ),
    ("tk-multilateral-cis", "multilateral", "tk", "GDA-nyň sammitine gatnaşdy", "GDA"),
    (
        "tk-multilateral-c5",
        "multilateral",
        "tk",
        "Merkezi Aziýa + Hytaý sammiti",
        "Merkezi Aziýa + Hytaý",
    ),
    (
        "tk-ministerial",
        "ministerial",
        "tk",
        "Daşary işler ministri Aşgabatda",
        "Daşary işler ministri",
    ),
    ("tk-deputy", "ministerial", "tk", "Başlygynyň orunbasary kabul etdi", "orunbasary"),
    ("tk-parliamentary", "parliamentary", "tk", "Mejlisiň Başlygy", "Mejlisiň"),
    ("tk-phone-call", "phone_call", "tk", "telefon arkaly söhbetdeşlik geçirdi", "telefon arkaly"),
    ("tk-sidelines", "sidelines", "tk", "sammitiň çäklerinde duşuşdylar", "çäklerinde"),
    ("tk-bilateral", "bilateral", "tk", "ikitaraplaýyn hyzmatdaşlyk", "ikitaraplaýyn"),
    ("tk-attend", "attend", "tk", "sammite gatnaşmak üçin geldi", "gatnaşmak"),
    (
        "ky-leader",
        "leader_title",
        "ky",
        "Министрлер Кабинетинин Төрагасы Бишкекте",
        "Министрлер Кабинетинин Төрагасы",
    ),
    ("ky-state-visit", "state_visit", "ky", "мамлекеттик сапар менен келди", "мамлекеттик сапар"),
    ("ky-talks", "talks", "ky", "тар курамда сүйлөшүүлөр өттү", "тар курамда"),
    ("ky-summit", "summit", "ky", "жогорку деңгээлдеги жолугушуу", "жогорку деңгээлдеги"),
    ("ky-agreements", "agreements", "ky", "келишимдерге кол коюлду", "келишимдерге"),
    ("ky-announcement", "announcement", "ky", "Душанбеге сапар менен барат", "сапар менен барат"),
    ("ky-held", "held", "ky", "Президентти аэропорттон тосуп алды", "тосуп алды"),
    ("ky-welcome", "welcome_ceremony", "ky", "ардак караулдун сабы", "ардак караулдун"),
    ("ky-multilateral-sco", "multilateral", "ky", "ШКУнун саммити", "ШКУнун"),
    (
        "ky-multilateral-un",
        "multilateral",
        "ky",
        "Бириккен Улуттар Уюмунун Башкы Ассамблеясы",
        "Бириккен Улуттар Уюмунун",
    ),
    ("ky-ministerial", "ministerial", "ky", "Тышкы иштер министри келди", "Тышкы иштер министри"),
    ("ky-parliamentary", "parliamentary", "ky", "Жогорку Кеңештин депутаттары", "Жогорку Кеңештин"),
    ("ky-phone-call", "phone_call", "ky", "телефон аркылуу сүйлөштү", "телефон аркылуу"),
    ("ky-sidelines", "sidelines", "ky", "саммиттин алкагында жолугушту", "алкагында"),
    ("ky-bilateral", "bilateral", "ky", "эки жактуу мамилелер", "эки жактуу"),
    ("tg-leader", "leader_title", "tg", "Раиси ҷумҳури Ӯзбекистон", "Раиси ҷумҳури"),
    ("tg-state-visit", "state_visit", "tg", "бо сафари давлатӣ ба Душанбе омад", "сафари давлатӣ"),
    ("tg-talks", "talks", "tg", "музокирот дар ҳайати маҳдуд", "дар ҳайати маҳдуд"),
    ("tg-summit", "summit", "tg", "мулоқот дар сатҳи олӣ", "дар сатҳи олӣ"),
    ("tg-agreements", "agreements", "tg", "созишномаҳо ба имзо расиданд", "созишномаҳо"),
    ("tg-announcement", "announcement", "tg", "ба Тошканд сафар хоҳад кард", "хоҳад кард"),
    ("tg-held", "held", "tg", "мулоқот дар Душанбе баргузор гардид", "баргузор гардид"),
    ("tg-welcome", "welcome_ceremony", "tg", "қаровули фахрӣ саф кашид", "қаровули фахрӣ"),
    (
        "tg-multilateral-un",
        "multilateral",
        "tg",
        "Созмони Милали Муттаҳид",
        "Созмони Милали Муттаҳид",
    ),
    (
        "tg-multilateral-c5",
        "multilateral",
        "tg",
        "нишасти Осиёи Марказӣ + Чин",
        "Осиёи Марказӣ + Чин",
    ),
    ("tg-ministerial", "ministerial", "tg", "Сафири Тоҷикистон дар Қазоқистон", "Сафири"),
    ("tg-parliamentary", "parliamentary", "tg", "Маҷлиси Олии Ҷумҳурии Тоҷикистон", "Маҷлиси Олии"),
    ("tg-phone-call", "phone_call", "tg", "гуфтугӯи телефонӣ анҷом доданд", "гуфтугӯи телефонӣ"),
    ("tg-sidelines", "sidelines", "tg", "дар ҳошияи саммит вохӯрданд", "дар ҳошияи"),
    ("tg-bilateral", "bilateral", "tg", "ҳамкории дуҷониба", "дуҷониба"),
]


@pytest.mark.parametrize(
    ("cue", "lang", "sentence", "hit"),
    [c[1:] for c in CENTRAL_ASIAN],
    ids=[c[0] for c in CENTRAL_ASIAN],
)
def test_central_asian_cue_detected(
    lex: CueLexicon, cue: str, lang: str, sentence: str, hit: str
) -> None:
    test_cue_detected(lex, cue, lang, sentence, hit)


# (id, sentence, cue class that must not fire): names, unrelated words and look-alikes
CENTRAL_ASIAN_NEAR_MISSES = [
    ("tk-name-saparmyrat", "Saparmyrat Nyýazow adyndaky mekdep", "state_visit"),
    ("tk-relations-not-attend", "ikitaraplaýyn gatnaşyklary ösdürmek", "attend"),
    ("tk-cabinet-chair", "Ministrler Kabinetiniň Başlygy Serdar Berdimuhamedow", "ministerial"),
    ("tk-solemn-gathering", "dabaraly mejlis geçirildi", "parliamentary"),
    ("tk-un-session", "BMG-niň Baş Assambleýasynyň mejlisi", "parliamentary"),
    ("tk-vice-president", "ABŞ-nyň wise-prezidenti", "leader_title"),
    ("tr-geldigi", "Ankara'ya geldiği gün", "held"),
    ("tr-kardes", "Kardeş ülkeler", "counterpart"),
    ("fr-premier-ministre", "Le Premier ministre est arrivé.", "ministerial"),
    ("ky-cabinet-chair", "Министрлер Кабинетинин Төрагасы Адылбек Касымалиев", "ministerial"),
    ("ky-wheat-caps", "БУУДАЙ ЭКСПОРТУ", "multilateral"),
    ("ky-project-framework", "долбоордун алкагында", "sidelines"),
    ("tg-surnames", "Сафарзода ва Сафаров", "state_visit"),
    ("tg-mobilised", "сафарбар намуданд", "state_visit"),
    ("tg-imports", "воридоти маҳсулот", "held"),
]


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [c[1:] for c in CENTRAL_ASIAN_NEAR_MISSES],
    ids=[c[0] for c in CENTRAL_ASIAN_NEAR_MISSES],
)
def test_central_asian_cue_not_triggered(lex: CueLexicon, sentence: str, cue: str) -> None:
    test_cue_not_triggered_on_near_miss(lex, sentence, cue)


def test_overlapping_classes_are_all_reported(lex: CueLexicon) -> None:
    sentence = "Erdoğan ve Tokayev telefonda görüştü; heads of state of the SCO countries met"
    found = {(h.cue, h.text) for h in lex.find(sentence)}
    assert ("phone_call", "telefonda görüştü") in found
    assert ("talks", "görüştü") in found and ("held", "görüştü") in found
    assert ("multilateral", "heads of state of the SCO countries") in found
    assert ("leader_title", "heads of state") in found


def test_hits_are_sorted_and_offsets_match_the_text(lex: CueLexicon) -> None:
    text = "İKİLİ görüşme: President Tokayev held talks and signed agreements in Astana."
    hits = lex.find(text)
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    assert all(text[h.start : h.end] == h.text for h in hits)
    assert {"bilateral", "talks", "leader_title", "held", "agreements"} <= {h.cue for h in hits}


@pytest.mark.parametrize(
    ("lexicon", "layers", "message"),
    [
        ({"gossip": {"en": ["rumour"]}}, [["gossip"]], "unknown cue classes"),
        ({"talks": {"en": ["talks"]}}, [], "exactly one layer"),
        ({"talks": {"en": ["[talks"]}}, [["talks"]], "bad pattern"),
        ({"talks": {"en": ["(talks)"]}}, [["talks"]], "non-capturing"),
        ({"talks": {"en": ["\\Stalks"]}}, [["talks"]], "lower-case escapes"),
    ],
    ids=["unknown-class", "no-layer", "bad-regex", "capturing-group", "upper-escape"],
)
def test_bad_lexicon_is_rejected_clearly(
    lexicon: dict[str, dict[str, list[str]]], layers: list[list[str]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CueLexicon(lexicon, layers)
