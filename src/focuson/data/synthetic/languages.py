"""Main language by ethnic category: an assumption table, documented as such.

Census 2021 (TS024 main language) found that between about 20% (Hillingdon) and 37% (Brent) of
residents of the NWL boroughs have a main language other than English, and that around a fifth
of those cannot speak English well or at all (TS029 proficiency in English): 4-8% of residents,
the people most likely to need an interpreter. The LSOA files hold no language table, so the
generator draws ``main_language`` from the person's (true) NHS ethnic category with the shares
below: the share whose main language is not English, and how those people split over languages.
They are rough assumptions guided by the Census 2021 borough tables, not facts to cite; the
overall non-English share comes out near 30% and over 100 languages occur at scale 1 (a long
tail of :data:`TAIL` languages is spread evenly over the shares marked ``"*tail"``).

The v1 ``persons`` contract has no interpreter column; :data:`INTERPRETER_SHARE_OF_NON_ENGLISH`
records the assumed share of non-English speakers who would need one, for the manifest.
"""

from __future__ import annotations

import numpy as np

from focuson.data.synthetic._sampling import FloatArray

ENGLISH = "English"
#: Share of people with a main language other than English who need an interpreter (Census
#: 2021 TS029 "cannot speak English well or at all", NWL boroughs: about one in five).
INTERPRETER_SHARE_OF_NON_ENGLISH = 0.2

TAIL: tuple[str, ...] = (
    "Afrikaans", "Akan", "Armenian", "Azerbaijani", "Belarusian", "Bosnian",
    "British Sign Language", "Burmese", "Catalan", "Croatian", "Czech", "Danish", "Dutch",
    "Estonian", "Ewe", "Fula", "Ga",
    "Georgian", "Hakka", "Hausa", "Hebrew", "Icelandic", "Igbo", "Indonesian", "Irish", "Japanese",
    "Kannada", "Kazakh", "Khmer", "Kinyarwanda", "Kirundi", "Korean", "Krio", "Lao", "Latvian",
    "Luganda", "Macedonian", "Malay", "Maltese", "Mandinka", "Mongolian", "Norwegian", "Oromo",
    "Romany", "Serbian", "Shona", "Sindhi", "Slovak", "Slovenian", "Swedish", "Thai", "Turkmen",
    "Uzbek", "Welsh", "Wolof", "Xhosa", "Yiddish", "Zulu", "Finnish", "Kurdish Sorani",
    "Malagasy", "Chichewa", "Tonga", "Bemba", "Sesotho", "Tswana", "Fijian", "Samoan", "Maori",
    "Quechua", "Haitian Creole", "Jamaican Creole", "Latin American Spanish", "Berber",
    "Hindko", "Saraiki", "Mirpuri", "Konkani", "Tulu", "Dhivehi",
)  # fmt: skip

_OTHER_WHITE = {
    "Polish": 0.22, "Romanian": 0.18, "Portuguese": 0.08, "Italian": 0.08, "Spanish": 0.07,
    "French": 0.05, "Bulgarian": 0.05, "Lithuanian": 0.04, "Hungarian": 0.03, "Greek": 0.03,
    "German": 0.03, "Albanian": 0.03, "Russian": 0.03, "Ukrainian": 0.02, "Turkish": 0.02,
    "*tail": 0.04,
}  # fmt: skip
_INDIAN = {
    "Gujarati": 0.35, "Punjabi": 0.25, "Tamil": 0.14, "Hindi": 0.12, "Malayalam": 0.05,
    "Marathi": 0.03, "Telugu": 0.03, "Bengali": 0.02, "*tail": 0.01,
}  # fmt: skip
_OTHER_ASIAN = {
    "Tamil": 0.33, "Nepali": 0.10, "Tagalog": 0.10, "Persian": 0.10, "Pashto": 0.10,
    "Dari": 0.08, "Sinhala": 0.07, "Vietnamese": 0.05, "*tail": 0.07,
}  # fmt: skip
_AFRICAN = {
    "Somali": 0.35, "Arabic": 0.10, "French": 0.10, "Tigrinya": 0.08, "Portuguese": 0.08,
    "Amharic": 0.06, "Yoruba": 0.06, "Twi": 0.06, "Lingala": 0.03, "Swahili": 0.04,
    "*tail": 0.04,
}  # fmt: skip
_OTHER = {
    "Arabic": 0.45, "Persian": 0.13, "Kurdish": 0.10, "Turkish": 0.08, "Spanish": 0.08,
    "Portuguese": 0.05, "Pashto": 0.05, "*tail": 0.06,
}  # fmt: skip

#: NHS ethnic category code -> (share whose main language is not English, languages).
BY_CODE: dict[str, tuple[float, dict[str, float]]] = {
    "A": (0.004, {"Welsh": 0.5, "*tail": 0.5}),
    "B": (0.01, {"Irish": 0.6, "*tail": 0.4}),
    "C": (0.60, _OTHER_WHITE),
    "D": (0.03, {"French": 0.3, "Portuguese": 0.2, "*tail": 0.5}),
    "E": (0.05, {"French": 0.3, "Somali": 0.2, "*tail": 0.5}),
    "F": (0.05, {"Hindi": 0.2, "Urdu": 0.2, "Punjabi": 0.2, "*tail": 0.4}),
    "G": (0.08, {"Spanish": 0.2, "Arabic": 0.2, "Portuguese": 0.2, "*tail": 0.4}),
    "H": (0.45, _INDIAN),
    "J": (0.40, {"Urdu": 0.60, "Punjabi": 0.33, "Pashto": 0.05, "*tail": 0.02}),
    "K": (0.45, {"Bengali": 0.80, "Sylheti": 0.18, "*tail": 0.02}),
    "L": (0.45, _OTHER_ASIAN),
    "M": (0.01, {"French": 0.3, "Spanish": 0.3, "*tail": 0.4}),
    "N": (0.30, _AFRICAN),
    "P": (0.10, {"Somali": 0.4, "French": 0.3, "*tail": 0.3}),
    "R": (0.55, {"Cantonese": 0.45, "Mandarin": 0.50, "Hakka": 0.02, "*tail": 0.03}),
    "S": (0.55, _OTHER),
}

#: Every language the generator can write, English first.
LANGUAGES: tuple[str, ...] = tuple(
    dict.fromkeys(
        [ENGLISH]
        + [lang for _, langs in BY_CODE.values() for lang in langs if lang != "*tail"]
        + list(TAIL)
    )
)


def language_weights(codes: tuple[str, ...]) -> FloatArray:
    """The (codes x :data:`LANGUAGES`) matrix of main-language probabilities per ethnic code.

    >>> w = language_weights(("A", "K"))
    >>> w.shape == (2, len(LANGUAGES)), bool(np.allclose(w.sum(axis=1), 1.0))
    (True, True)
    >>> round(float(w[1, LANGUAGES.index("Bengali")]), 2)
    0.36
    """
    index = {lang: i for i, lang in enumerate(LANGUAGES)}
    tail = np.array([index[lang] for lang in TAIL])
    out = np.zeros((len(codes), len(LANGUAGES)))
    for row, code in enumerate(codes):
        share, langs = BY_CODE[code]
        total = sum(langs.values())
        out[row, index[ENGLISH]] = 1.0 - share
        for lang, w in langs.items():
            if lang == "*tail":
                out[row, tail] += share * w / total / len(tail)
            else:
                out[row, index[lang]] += share * w / total
    return out
