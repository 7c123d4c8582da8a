"""Language identification from the text."""
from __future__ import annotations

import pytest

from mtqa.text.langdetect import detect


@pytest.mark.parametrize("text, lang", [
    ("中央和国家机关召开支部建设交流会。", "zh"),
    ("The meeting of the branch was held in Beijing on May 11, and it was a success.", "en"),
    ("Die Sitzung fand am 11. Mai in Peking statt, und alle Mitglieder waren anwesend.", "de"),
    ("La réunion s'est tenue à Pékin le 11 mai et tous les membres étaient présents.", "fr"),
    ("会議は北京で開かれました。", "ja"),
    ("회의는 베이징에서 열렸습니다.", "ko"),
    ("Заседание прошло в Пекине 11 мая.", "ru"),
    ("2024 GDP CPI 15.6%", "en"),
    ("", "en"),
    ("中共中央 CPC Central Committee 中央和国家机关工委", "zh"),
])
def test_detect(text: str, lang: str) -> None:
    assert detect(text) == lang
