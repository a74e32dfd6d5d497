"""Verdicts by error class, across languages: each row is one mechanism at work.

Rows are written for this file (not taken from any corpus). Classes: heads of government are no
ministers (gov), a working visit with leaders' talks is a summit (work), one leader with nobody
of rank to meet is none (lone), the city of a meeting is no party to it (venue), announcements
(announce), calls and messages (call), and languages without seed examples, read from
structure, CLDR names and their own cue words (lang).
"""

from __future__ import annotations

import pytest

from classifier.detector import Detector

CASES = [
    pytest.param(
        "ru",
        "Касымалиев провел переговоры с Бектеновым в Бишкеке",
        "Председатель Кабинета министров Кыргызстана Адылбек Касымалиев провел"
        " переговоры с премьер-министром Казахстана Олжасом Бектеновым. Главы"
        " правительств обсудили транзит угля; министры транспорта подписали протокол.",
        True,
        id="gov-ru-cabinet-chairman",
    ),
    pytest.param(
        "en",
        "Kasymaliev and Aripov hold talks in Tashkent",
        "Chairman of the Cabinet of Ministers of Kyrgyzstan Adylbek Kasymaliev held"
        " talks with Prime Minister of Uzbekistan Abdulla Aripov on water and energy."
        " The two heads of government witnessed the signing of six agreements by their"
        " ministers.",
        True,
        id="gov-en-cabinet-chairman",
    ),
    pytest.param(
        "kk",
        "Бектенов Ариповпен келіссөз жүргізді",
        "Қазақстан Премьер-министрі Олжас Бектенов Ташкентте Өзбекстан Премьер-министрі"
        " Абдулла Ариповпен келіссөз жүргізді. Үкімет басшылары көлік дәліздерін"
        " талқылады.",
        True,
        id="gov-kk-prime-minister",
    ),
    pytest.param(
        "ru",
        "Жапаров прибыл в Ташкент с рабочим визитом",
        "Президент Кыргызстана Садыр Жапаров прибыл в Ташкент с рабочим визитом и"
        " провел переговоры с Президентом Узбекистана Шавкатом Мирзиёевым в узком"
        " формате.",
        True,
        id="work-ru-talks",
    ),
    pytest.param(
        "en",
        "Tokayev on a working visit to Dushanbe holds talks with Rahmon",
        "Kazakh President Kassym-Jomart Tokayev, on a working visit to Tajikistan, held"
        " talks with President Emomali Rahmon on water and energy.",
        True,
        id="work-en-talks",
    ),
    pytest.param(
        "ru",
        "Мирзиёев прибыл в Москву с рабочим визитом",
        "Президент Узбекистана Шавкат Мирзиёев прибыл в Москву с рабочим визитом для"
        " участия в неформальном саммите СНГ.",
        False,
        id="work-ru-cis-summit",
    ),
    pytest.param(
        "ru",
        "Токаев поздравил Эрдогана с днем рождения",
        "Касым-Жомарт Токаев направил поздравительную телеграмму Президенту Турции"
        " Реджепу Тайипу Эрдогану, пожелав ему здоровья.",
        False,
        id="lone-ru-congratulation",
    ),
    pytest.param(
        "en",
        "Mirziyoyev sends condolences to the Iranian President",
        "President Shavkat Mirziyoyev sent a message of condolences to President Masoud"
        " Pezeshkian over the earthquake victims.",
        False,
        id="lone-en-condolences",
    ),
    pytest.param(
        "tr",
        "Erdoğan'dan Caparov'a tebrik mesajı",
        "Cumhurbaşkanı Recep Tayyip Erdoğan, bağımsızlık günü dolayısıyla Kırgızistan"
        " Cumhurbaşkanı Sadır Caparov'a bir tebrik mesajı gönderdi.",
        False,
        id="lone-tr-message",
    ),
    pytest.param(
        "en",
        "Japarov tours the Issyk-Kul region",
        "President Sadyr Japarov toured the Issyk-Kul region on Saturday and inspected"
        " a new airport terminal.",
        False,
        id="lone-en-domestic-trip",
    ),
    pytest.param(
        "kk",
        "Тоқаев шетелдік журналистерді қабылдады",
        "Мемлекет басшысы Қасым-Жомарт Тоқаев Ақордада шетелдік БАҚ өкілдерін қабылдады.",
        False,
        id="lone-kk-journalists",
    ),
    pytest.param(
        "en",
        "Xi and Putin meet in Astana on the sidelines of the SCO summit",
        "Chinese President Xi Jinping and Russian President Vladimir Putin held talks"
        " in Astana on the sidelines of the summit.",
        False,
        id="venue-en-sidelines",
    ),
    pytest.param(
        "ru",
        "Эрдоган и Алиев встретились в Самарканде",
        "Президент Турции Реджеп Тайип Эрдоган и Президент Азербайджана Ильхам Алиев"
        " провели встречу в Самарканде.",
        False,
        id="venue-ru-samarkand",
    ),
    pytest.param(
        "en",
        "Tokayev to visit Budapest next week",
        "Kazakh President Kassym-Jomart Tokayev will pay an official visit to Hungary"
        " next week at the invitation of Prime Minister Viktor Orbán.",
        True,
        id="announce-en-next-week",
    ),
    pytest.param(
        "ru",
        "Сроки визита Рахмона в Узбекистан согласовываются",
        "Стороны согласовывают сроки государственного визита Президента Таджикистана"
        " Эмомали Рахмона в Узбекистан, где пройдут его переговоры с Шавкатом"
        " Мирзиёевым.",
        True,
        id="announce-ru-dates-agreed",
    ),
    pytest.param(
        "tr",
        "Tokayev gelecek ay Türkiye'yi ziyaret edecek",
        "Kazakistan Cumhurbaşkanı Kasım Cömert Tokayev gelecek ay Türkiye'ye resmi"
        " ziyarette bulunacak ve Cumhurbaşkanı Erdoğan ile görüşecek.",
        True,
        id="announce-tr-next-month",
    ),
    pytest.param(
        "de",
        "Telefongespräch zwischen Erdoğan und Mirsijojew",
        "Der türkische Präsident Recep Tayyip Erdoğan hat mit dem usbekischen"
        " Präsidenten Schawkat Mirsijojew telefoniert. Im Telefongespräch ging es um"
        " bilaterale Beziehungen.",
        False,
        id="call-de-telefongespraech",
    ),
    pytest.param(
        "en",
        "Putin, Rahmon discuss bilateral agenda",
        "Russian President Vladimir Putin and Tajik President Emomali Rahmon discussed"
        " the bilateral agenda and an upcoming visit during a telephone conversation,"
        " the Kremlin said.",
        False,
        id="call-en-bilateral-agenda",
    ),
    pytest.param(
        "ar",
        "الرئيس التركماني يصل إلى الدوحة في زيارة رسمية",
        "وصل الرئيس سردار بردي محمدوف رئيس تركمانستان إلى الدوحة اليوم في زيارة رسمية،"
        " وعقد جلسة مباحثات مع الشيخ تميم بن حمد آل ثاني أمير دولة قطر.",
        True,
        id="lang-ar-visit",
    ),
    pytest.param(
        "ar",
        "أمير قطر يتلقى اتصالا هاتفيا من الرئيس الكازاخستاني",
        "تلقى الشيخ تميم بن حمد آل ثاني أمير دولة قطر اتصالا هاتفيا من الرئيس قاسم"
        " جومارت توكاييف رئيس جمهورية كازاخستان، جرى خلاله استعراض العلاقات الثنائية.",
        False,
        id="lang-ar-phone",
    ),
    pytest.param(
        "fa",
        "دیدار رؤسای جمهور ایران و ترکمنستان در عشق‌آباد",
        "مسعود پزشکیان رئیس‌جمهور ایران در سفر رسمی به عشق‌آباد با سردار بردی‌محمداف"
        " رئیس‌جمهور ترکمنستان دیدار و گفتگو کرد.",
        True,
        id="lang-fa-visit",
    ),
    pytest.param(
        "fa",
        "گفتگوی تلفنی رئیس‌جمهور با همتای قزاقستانی",
        "مسعود پزشکیان رئیس‌جمهور ایران در گفتگوی تلفنی با قاسم جومرت توکایف رئیس‌جمهور"
        " قزاقستان درباره کریدور شمال–جنوب گفتگو کرد.",
        False,
        id="lang-fa-phone",
    ),
    pytest.param(
        "zh",
        "习近平同土库曼斯坦总统别尔德穆哈梅多夫会谈",
        "国家主席习近平在人民大会堂同来华进行国事访问的土库曼斯坦总统别尔德穆哈梅多夫举行会谈。",
        True,
        id="lang-zh-talks",
    ),
    pytest.param(
        "zh",
        "习近平同乌兹别克斯坦总统米尔济约耶夫通电话",
        "国家主席习近平应约同乌兹别克斯坦总统米尔济约耶夫通电话，就双边关系交换意见。",
        False,
        id="lang-zh-phone",
    ),
    pytest.param(
        "az",
        "İlham Əliyev Qazaxıstana rəsmi səfərə gedib",
        "Azərbaycan Prezidenti İlham Əliyev Qazaxıstana rəsmi səfərə gedib və Astanada"
        " Prezident Qasım-Jomart Tokayevlə danışıqlar aparıb.",
        True,
        id="lang-az-visit",
    ),
    pytest.param(
        "az",
        "İlham Əliyev Türkmənistan Prezidenti ilə telefonla danışıb",
        "Prezident İlham Əliyev Türkmənistan Prezidenti Serdar Berdiməhəmmədovla"
        " telefonla danışıb.",
        False,
        id="lang-az-phone",
    ),
]


@pytest.mark.parametrize(("lang", "title", "text", "flagged"), CASES)
def test_verdict_by_error_class(
    detector: Detector, lang: str, title: str, text: str, flagged: bool
) -> None:
    verdict = detector.classify(title, text, lang)
    assert verdict.label is flagged, (verdict.score, verdict.summary, verdict.reasons)
