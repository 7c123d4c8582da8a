"""Tables of real cases for the accuracy checks and the number reader, both ways."""
from __future__ import annotations

import pytest
from _checkutil import run_check, spans

from mtqa.text.numbers import chinese_numeral, find_numbers


@pytest.mark.parametrize("text, lang, values", [
    ("11.1万人", "zh", [111000]),
    ("三千", "zh", [3000]),
    ("两百零五", "zh", [205]),
    ("三点五亿", "zh", [350_000_000]),
    ("百分之三十", "zh", [30]),
    ("1.6-1.7万元", "zh", [16000, 17000]),
    ("三至五年", "zh", [3, 5]),
    ("第三次", "zh", [3]),
    ("第一", "zh", [1]),
    ("百人代表团", "zh", [100]),
    ("2024年5月11日", "zh", [2024, 5, 11]),
    ("二〇二四年", "zh", [2024]),
    ("价格大概要一万六七千元", "zh", [16000, 17000]),  # "sixteen or seventeen thousand"
    ("三四个", "zh", [3, 4]),
    ("十四五规划", "zh", [14]),  # a plan period numbered 14
    ("数万元", "zh", []),  # "tens of thousands"
    ("周六", "zh", []),
    ("千千万万的店铺", "zh", []),
    ("电子零部件", "zh", []),
    ("一起十分重要", "zh", []),
    ("１２３", "zh", [123]),
    ("1,200.5 people", "en", [1200.5]),
    ("$5 million", "en", [5_000_000]),
    ("2 bn", "en", [2e9]),
    ("the 75th anniversary", "en", [75]),
    ("COVID-19 and A320", "en", []),
    ("500.000 bis 2,5 Millionen Teile", "de", [500000, 2_500_000]),
])
def test_number_values(text: str, lang: str, values: list[float]) -> None:
    assert [n.value for n in find_numbers(text, lang) if n.hard] == values


def test_times_have_a_24_hour_reading() -> None:
    zh = find_numbers("下午3点", "zh")[0]
    en = find_numbers("at 3 p.m.", "en")[0]
    assert zh.alts == (15.0,) and en.alts == (15.0,)
    assert zh.matches(find_numbers("15:00", "en")[0])
    assert not find_numbers("上午3点", "zh")[0].alts


def test_number_words_are_soft() -> None:
    found = find_numbers("two million people in May", "en")
    assert {n.value for n in found} >= {2, 2e6, 5}
    assert not any(n.hard for n in found)


def test_chinese_numeral_edge_cases() -> None:
    assert chinese_numeral("一万二千") == 12000
    assert chinese_numeral("十二") == 12
    assert chinese_numeral("三千万") == 30_000_000
    assert chinese_numeral("abc") is None


@pytest.mark.parametrize("source, target, flagged", [
    ("清理垃圾11.1万吨", "removed 11,100 tons of waste", ["11,100"]),
    ("清理垃圾11.1万吨", "removed 111,000 tons of waste", []),
    ("清理垃圾11.1万吨", "removed 11.1 tons of waste", ["11.1"]),
    ("三千名志愿者", "3,000 volunteers", []),
    ("3亿元", "300 million yuan", []),
    ("5月11日", "On May 11", []),
    ("5月11日", "On May 12", ["12"]),
    ("下午3点开会", "The meeting is at 3 p.m.", []),
    ("下午3点开会", "The meeting is at 15:00.", []),
    ("增长百分之三十", "grew by 30%", []),
    ("增长百分之三十", "grew by 13%", ["13"]),
    ("1.6-1.7万元", "16,000 to 17,000 yuan", []),
    ("周四", "on Thursday", []),
    ("价格大概要一万六七千元", "about 16,000 to 17,000 yuan", []),
    ("价格大概要一万六七千元", "about 16,000 to 7,000 yuan", ["7,000"]),
    ("第一", "No. 1", []),
    ("新冠疫情", "the COVID-19 epidemic", []),
    ("Das sind 40000 Jahre", "Es sind 40.000 Jahre", []),
])
def test_number_mismatch(source: str, target: str, flagged: list[str]) -> None:
    lang = "en"
    source_lang = "zh"
    if source.startswith("Das"):
        source, target = "That is 40000 years", target
        source_lang, lang = "en", "de"
    assert spans("AC03", target, source=source, source_lang=source_lang, lang=lang) == flagged


def test_number_missing_from_translation() -> None:
    issues = run_check("AC03", "More than river chiefs were appointed.",
                       source="设立了三百多名河长。")
    assert [i.source.text for i in issues] == ["三百"]
    assert issues[0].suggestion == "300"


@pytest.mark.parametrize("source, target, lang_pair, flagged", [
    ("访问 www.gov.cn 了解详情", "Visit the website for details.", ("zh", "en"), 1),
    ("访问 www.gov.cn 了解详情", "Visit www.gov.cn for details.", ("zh", "en"), 0),
    ("请发邮件至 info@example.org", "Please write to us.", ("zh", "en"), 1),
    ("请发邮件至 info@example.org", "Please write to info@example.org.", ("zh", "en"), 0),
    ("空客A320客机", "an Airbus airliner", ("zh", "en"), 1),
    ("空客A320客机", "an Airbus A320 airliner", ("zh", "en"), 0),
    ("CPU 价格上涨", "Processor prices rose", ("zh", "en"), 1),
    ("CPU 价格上涨", "CPU prices rose", ("zh", "en"), 0),
    ("苹果公司发布了 iPhone", "Apple released a phone", ("zh", "en"), 1),
    ("苹果公司发布了 iPhone", "Apple released the iPhone", ("zh", "en"), 0),
    ("新冠 COVID-19 疫情", "the COVID 19 epidemic", ("zh", "en"), 0),
    ("长 15 km", "15 kilometres long", ("zh", "en"), 0),
    ("That is a 15-foot boat.", "Das ist ein 15-Fuß-Boot.", ("en", "de"), 0),
    ("It works in 3D.", "Es funktioniert dreidimensional.", ("en", "de"), 0),
    ("See https://ted.com/talks now.", "Siehe jetzt die Website.", ("en", "de"), 1),
    ("Follow @tedtalks for more.", "Folgen Sie uns.", ("en", "de"), 1),
])
def test_latin_tokens(source: str, target: str, lang_pair: tuple[str, str],
                      flagged: int) -> None:
    found = run_check("AC04", target, source=source, source_lang=lang_pair[0],
                      lang=lang_pair[1])
    assert len(found) == flagged


@pytest.mark.parametrize("source, target, lang_pair, flagged", [
    ("会议没有举行", "The meeting was held.", ("zh", "en"), ["The meeting was held."]),
    ("会议没有举行", "The meeting was not held.", ("zh", "en"), []),
    ("他无法参加", "He is unable to attend.", ("zh", "en"), []),
    ("他从未去过北京", "He has been to Beijing.", ("zh", "en"), ["He has been to Beijing."]),
    ("会议举行了", "The meeting was not held.", ("zh", "en"), ["not"]),
    ("不断推进改革", "Reform was continuously advanced.", ("zh", "en"), []),
    ("未来五年", "In the next five years", ("zh", "en"), []),
    ("无论如何", "In any case", ("zh", "en"), []),
    ("不到100人", "less than 100 people", ("zh", "en"), []),
    ("莫德罗昨晚离开了我们", "Modrow left us last night.", ("zh", "en"), []),
    ("打造国内第一", "Building the No. 1 city", ("zh", "en"), []),
    ("I couldn\u2019t help but wonder.", "Ich konnte nicht anders, als mich zu wundern.",
     ("en", "de"), []),
    ("It is not here.", "Es ist hier.", ("en", "de"), ["Es ist hier."]),
    ("It is here.", "Es ist nicht hier.", ("en", "de"), ["nicht"]),
    ("Flowers show great effort.", "Blumen zeigen nicht nur große Mühe.", ("en", "de"), []),
    ("它不仅是城市", "It is not only a city", ("zh", "en"), []),
])
def test_negation_mismatch(source: str, target: str, lang_pair: tuple[str, str],
                           flagged: list[str]) -> None:
    assert spans("AC05", target, source=source, source_lang=lang_pair[0],
                 lang=lang_pair[1]) == flagged


def test_negation_mismatch_other_pairs_are_skipped() -> None:
    assert spans("AC05", "Il est ici.", source="It is not here.", source_lang="en",
                 lang="fr") == []


_LONG_SOURCE = "临川市今年共清理河道垃圾十一万吨，并在全市设立了三百多名河长。"


@pytest.mark.parametrize("target, category", [
    ("The city cleaned its rivers.", "accuracy/omission"),
    ("This year Linchuan removed 110,000 tonnes of waste from its rivers and appointed more "
     "than 300 river chiefs across the city.", None),
    ("This year Linchuan removed 110,000 tonnes of waste from its rivers and appointed more "
     "than 300 river chiefs across the city. " * 4, "accuracy/addition"),
])
def test_length_ratio(target: str, category: str | None) -> None:
    found = run_check("AC06", target, source=_LONG_SOURCE)
    assert [i.category for i in found] == ([category] if category else [])


def test_length_ratio_latin_in_source_counts_one_for_one() -> None:
    source = "苹果公司今天在加州发布了新款iPhone 15 Pro Max手机。"
    assert spans("AC06", "Apple released the new iPhone 15 Pro Max phone in California today.",
                 source=source) == []


def test_length_ratio_needs_a_calibrated_pair_or_the_option() -> None:
    assert spans("AC06", "Danke.", source="Thank you very much, everybody, truly.",
                 source_lang="en", lang="de") == []
    found = run_check("AC06", "Danke.", source="Thank you very much, everybody, truly.",
                      source_lang="en", lang="de",
                      options={"ratios": {"en-de": [0.149, 0.146]}})
    assert len(found) == 1


def test_length_ratio_skips_short_sources() -> None:
    assert spans("AC06", "OK", source="好的，没问题") == []


@pytest.mark.parametrize("target, lang, flagged", [
    ("The county organised 巡河 patrols.", "en", ["巡河"]),
    ("The county organised river patrols.", "en", []),
    ("这是 a long run of English words left here 的句子", "zh",
     ["a long run of English words left here"]),
])
def test_untranslated_text(target: str, lang: str, flagged: list[str]) -> None:
    assert spans("AC01", target, lang=lang) == flagged
