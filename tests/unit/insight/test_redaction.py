"""Redaction suggestions in any script, applying them, and the quote k-threshold."""

import pandas as pd
import pytest

from focuson.insight.redaction import (
    apply_redactions,
    merge_spans,
    quote_check,
    suggest_redactions,
)


def _found(text, **kwargs):
    return [(text[s.start : s.end], s.kinds) for s in suggest_redactions(text, **kwargs)]


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "401-023-2137", "4505577104"])
def test_nhs_numbers_with_a_valid_check_digit_are_found(number):
    text = f"My number is {number}."
    assert _found(text) == [(number, ("nhs_number",))]


@pytest.mark.parametrize("number", ["9434765918", "943 476 5910", "4010232138"])
def test_numbers_with_a_bad_check_digit_are_not(number):
    assert _found(f"Reference {number} only") == []


@pytest.mark.parametrize(
    ("phone", "note"),
    [
        ("07700 900123", "mobile"),
        ("+44 7700 900123", "international"),
        ("+44 (0)20 7946 0018", "international with (0)"),
        ("(020) 7946 0018", "London with brackets"),
        ("0161-496-0000", "hyphens"),
    ],
)
def test_uk_phone_numbers_are_found(phone, note):
    assert _found(f"ring {phone} today") == [(phone, ("phone",))], note


def test_emails_postcodes_and_dates_of_birth_are_found():
    text = "Write to amina.k@example.org, HA9 0WS. Born 3 March 1950; visit on 12/05/2024."
    assert _found(text) == [
        ("amina.k@example.org", ("email",)),
        ("HA9 0WS", ("postcode",)),
        ("3 March 1950", ("date_of_birth",)),
    ]  # the visit date is not near a word for birth


# Each text puts personal data inside another script; offsets must count code points.
SCRIPTS = {
    "Arabic": "اسمي فاطمة ورقمي الصحي {nhs} وهاتفي {phone} تاريخ الميلاد {dob} شكرا",
    "Urdu": "میرا نام {name} ہے، میرا این ایچ ایس نمبر {nhs} اور فون {phone} ہے۔ پیدائش {dob}",
    "Polish": "Nazywam się {name}, numer NHS {nhs}, telefon {phone}, urodziłam się {dob} r.",
    "Bengali": "আমার নাম {name}। আমার এনএইচএস নম্বর {nhs}, ফোন {phone}। জন্ম তারিখ {dob}।",
    "Somali": "Magacaygu waa {name}. Lambarka NHS {nhs}, telefoon {phone}. Waxaan dhashay {dob}.",
    "Tamil": "என் பெயர் {name}. NHS எண் {nhs}, தொலைபேசி {phone}. பிறந்த தேதி {dob}.",
}


@pytest.mark.parametrize("language", list(SCRIPTS))
def test_suggestions_hold_in_any_script(language):
    values = {"name": "Rahima", "nhs": "943 476 5919", "phone": "07700 900123", "dob": "02/03/1950"}
    text = SCRIPTS[language].format(**values)
    spans = suggest_redactions(text, names=["rahima"])
    got = {text[s.start : s.end]: s.kinds for s in spans}
    expected = {"943 476 5919": ("nhs_number",), "07700 900123": ("phone",)}
    expected["02/03/1950"] = ("date_of_birth",)
    if "{name}" in SCRIPTS[language]:
        expected["Rahima"] = ("name",)
    assert got == expected
    redacted = apply_redactions(text, spans)
    for value in expected:
        assert value not in redacted
    assert redacted.count("[redacted]") == len(expected)


def test_offsets_count_code_points_with_emoji_and_combining_marks():
    # "é" written as e + combining acute (2 code points), an emoji outside the BMP (1 code point,
    # 2 UTF-16 units, 4 UTF-8 bytes) and Bengali with vowel signs before the number.
    prefix = "Cafe\u0301 😀 আমি "
    text = prefix + "9434765919"
    (span,) = suggest_redactions(text)
    assert (span.start, span.end) == (len(prefix), len(prefix) + 10) == (12, 22)
    assert len(prefix.encode("utf-8")) != span.start  # not bytes
    assert len(prefix.encode("utf-16-le")) // 2 != span.start  # not UTF-16 units


def test_marked_name_inside_a_longer_word_is_not_suggested():
    # Bengali: a vowel sign (a combining mark) after the name continues the word.
    assert _found("রহিম রহিমা", names=["রহিম"]) == [("রহিম", ("name",))]
    assert _found("Annabel and Ann", names=["Ann"]) == [("Ann", ("name",))]


def test_overlapping_spans_merge_keeping_both_kinds():
    text = "call 0943 476 5919"
    spans = merge_spans(text, [(5, 18, "phone"), (6, 18, "nhs_number"), (0, 4, "name")])
    assert [(s.start, s.end, s.kinds) for s in spans] == [
        (0, 4, ("name",)),
        (5, 18, ("phone", "nhs_number")),
    ]
    assert spans[1].label == "phone number or NHS number"


def test_apply_redactions_rejects_spans_outside_the_text():
    with pytest.raises(ValueError, match="span 3-12: must lie within the text"):
        apply_redactions("short", [(3, 12)])
    with pytest.raises(ValueError, match="span 2-2"):
        apply_redactions("short", [(2, 2)])


def test_apply_redactions_with_a_replacement_of_ones_choice():
    assert apply_redactions("Amina Khan said", [(0, 5), (3, 10)], replacement="█") == "█ said"


PEOPLE = pd.DataFrame(
    {
        "age_band": ["65-79"] * 6 + ["18-64"] * 6,
        "borough": ["Brent"] * 3 + ["Ealing"] * 3 + ["Brent"] * 6,
        "ethnic_group": ["Bangladeshi"] * 12,
    }
)


def test_quote_attributes_shared_by_k_are_safe():
    check = quote_check({"borough": "Brent", "ethnic_group": "Bangladeshi"}, PEOPLE, k=5)
    assert check.safe and check.shared_by == 9 and check.drop == ()


def test_quote_attributes_shared_by_fewer_say_what_to_drop():
    attrs = {"age_band": "65-79", "borough": "Brent", "ethnic_group": "Bangladeshi"}
    check = quote_check(attrs, PEOPLE, k=5)
    # 3 share all three; dropping borough leaves 6, dropping age band leaves 9: the larger.
    assert (check.shared_by, check.safe) == (3, False)
    assert check.drop == ("age_band",) and check.shared_by_after == 9


def test_quote_check_when_the_whole_group_is_below_k():
    check = quote_check({"borough": "Brent"}, PEOPLE.head(3), k=5)
    assert check.drop == ("borough",) and check.shared_by_after == 3 and not check.safe


def test_quote_check_errors():
    with pytest.raises(ValueError, match="no column for language"):
        quote_check({"language": "bn"}, PEOPLE)
    with pytest.raises(ValueError, match="at least 1"):
        quote_check({}, PEOPLE, k=0)


def test_marked_names_match_whatever_their_normal_form():
    # The text is canonical (NFC); a name typed decomposed (NFD) still matches.
    text = "Zoë said the clinic was far"
    assert _found(text, names=["Zoe\u0308"]) == [("Zoë", ("name",))]


def test_quote_check_refuses_too_many_attributes():
    attrs = {f"a{i}": 1 for i in range(11)}
    with pytest.raises(ValueError, match="at most 10"):
        quote_check(attrs, pd.DataFrame({k: [1] for k in attrs}))


def test_date_just_before_a_word_for_birth_is_a_date_of_birth():
    text = "Seen 01/01/2024. 02/03/1950 (her DOB) was checked."
    assert _found(text) == [("02/03/1950", ("date_of_birth",))]


def test_long_transcripts_are_scanned_in_one_pass():
    # Many words for birth and many dates: each word takes the first date after it.
    text = "born 02/03/1950 then 04/05/2020. " * 2000
    spans = suggest_redactions(text)
    assert len(spans) == 2000 and all(s.text == "02/03/1950" for s in spans)
