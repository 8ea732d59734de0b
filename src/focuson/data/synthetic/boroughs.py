"""Published borough-level facts for the 8 North West London boroughs: the built-in profile.

When no reference folder is given, the generator builds each borough from these facts alone and
invents its small areas (see :mod:`focuson.data.synthetic.geography`). Every number below is a
published official statistic summed to borough level; none is invented:

``lsoa11``, ``imd2019_deciles``
    The number of LSOAs (2011) in the borough and how many fall in each national IMD 2019 decile
    (decile 1 = most deprived 10% of England). MHCLG, English Indices of Deprivation 2019, File 2
    (Domains of Deprivation), 26 September 2019. OGL v3.
``age5_mid2020``
    Persons by 5-year age band 0-4, 5-9, ..., 85-89, 90+. ONS, Lower layer Super Output Area
    population estimates, mid-2020 (SAPE23DT2), summed over the borough's LSOAs. OGL v3.
``females_mid2020``, ``males_mid2020``
    Females and males aged 0-15, 16-29, 30-44, 45-64, 65+, from the same ONS mid-2020 release.
``census2021_ethnic``
    Usual residents by the 5 high-level ethnic groups in the order White, Mixed or Multiple,
    Asian (including Chinese), Black, Other. ONS, Census 2021, table TS021, November 2022. OGL v3.
``postcode_districts``
    The postcode districts whose GP practices the generator places in the borough when it reads
    the real NWL practice list (which has postcodes but no borough). These are Royal Mail
    postcode districts; a district that straddles two boroughs is given to the one holding most
    of it, so the assignment is approximate.

The totals: 2,111,469 people at mid-2020 and 1,153 LSOAs (2011) across the 8 boroughs.
``tests/unit/data/test_synthetic_geography.py`` recomputes every fact from the official files
when the shared reference folder is present.

Contains public sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The 5 high-level ethnic groups, in the order used throughout the generator.
ETHNIC_GROUPS: tuple[str, ...] = ("White", "Mixed", "Asian", "Black", "Other")

#: The lower bounds of the broad age bands of ``females_mid2020`` / ``males_mid2020``.
SEX_AGE_BANDS: tuple[int, ...] = (0, 16, 30, 45, 65)


@dataclass(frozen=True)
class Borough:
    """One borough's published facts (see the module docstring for sources).

    Attributes
    ----------
    code, name
        ONS local authority district code and name.
    lsoa11
        Number of LSOAs (2011 boundaries).
    imd2019_deciles
        Number of those LSOAs in IMD 2019 deciles 1..10.
    age5_mid2020
        Persons by 5-year age band (0-4 ... 85-89, 90+), mid-2020.
    females_mid2020, males_mid2020
        Persons aged 0-15, 16-29, 30-44, 45-64, 65+, mid-2020.
    census2021_ethnic
        Usual residents, Census 2021, by :data:`ETHNIC_GROUPS`.
    postcode_districts
        Postcode districts of GP practices placed in this borough.
    """

    code: str
    name: str
    lsoa11: int
    imd2019_deciles: tuple[int, ...]
    age5_mid2020: tuple[int, ...]
    females_mid2020: tuple[int, ...]
    males_mid2020: tuple[int, ...]
    census2021_ethnic: tuple[int, ...]
    postcode_districts: tuple[str, ...] = ()

    @property
    def population(self) -> int:
        """Persons at mid-2020.

        >>> BOROUGHS[0].name, BOROUGHS[0].population
        ('Brent', 327753)
        """
        return sum(self.age5_mid2020)


_DISTRICTS = {
    "E09000005": ("HA0", "HA9", "NW10", "NW2", "NW6", "NW9"),
    "E09000009": ("UB1", "UB2", "UB5", "UB6", "W3", "W5", "W7", "W13"),
    "E09000013": ("SW6", "W6", "W12", "W14"),
    "E09000015": ("HA1", "HA2", "HA3", "HA5", "HA7", "HA8"),
    "E09000017": ("HA4", "HA6", "UB3", "UB4", "UB7", "UB8", "UB9", "UB10"),
    "E09000018": ("TW1", "TW3", "TW4", "TW5", "TW7", "TW8", "TW13", "TW14", "W4"),
    "E09000020": ("SW3", "SW5", "SW7", "SW10", "W8", "W10", "W11"),
    "E09000033": (
        "NW1", "NW8", "SW1P", "SW1V", "SW1W", "SW1X", "W1D", "W1H", "W1K", "W1T", "W2", "W9",
        "WC2B", "WC2H",
    ),
}  # fmt: skip

_FACTS = (
    Borough(
        code="E09000005",
        name="Brent",
        lsoa11=173,
        imd2019_deciles=(10, 23, 30, 38, 34, 22, 8, 8, 0, 0),
        age5_mid2020=(
            23790,
            22934,
            20055,
            18391,
            21548,
            24934,
            26707,
            26720,
            23012,
            20965,
            20381,
            19311,
            16982,
            12878,
            10344,
            7289,
            5833,
            3576,
            2103,
        ),
        females_mid2020=(34362, 28161, 35236, 39353, 22710),
        males_mid2020=(36052, 33077, 41203, 38286, 19313),
        census2021_ethnic=(117691, 17252, 111531, 59503, 33847),
    ),
    Borough(
        code="E09000009",
        name="Ealing",
        lsoa11=196,
        imd2019_deciles=(4, 29, 29, 36, 22, 31, 22, 11, 11, 1),
        age5_mid2020=(
            23652,
            24561,
            22239,
            18775,
            18362,
            23266,
            26542,
            26697,
            25887,
            24490,
            23208,
            20350,
            16651,
            13977,
            11292,
            7928,
            6340,
            3857,
            2267,
        ),
        females_mid2020=(36124, 26693, 38399, 42623, 24733),
        males_mid2020=(38335, 29703, 40727, 42076, 20928),
        census2021_ethnic=(158470, 19168, 111230, 39490, 38772),
    ),
    Borough(
        code="E09000013",
        name="Hammersmith and Fulham",
        lsoa11=113,
        imd2019_deciles=(1, 19, 16, 17, 17, 15, 13, 11, 4, 0),
        age5_mid2020=(
            10930,
            11105,
            10199,
            8095,
            14855,
            18177,
            17166,
            15256,
            13808,
            13401,
            11905,
            10282,
            7678,
            6167,
            5428,
            3744,
            2735,
            1612,
            1001,
        ),
        females_mid2020=(16676, 19694, 21877, 22445, 11880),
        males_mid2020=(17268, 19723, 24353, 20821, 8807),
        census2021_ethnic=(115675, 12330, 19320, 22441, 13395),
    ),
    Borough(
        code="E09000015",
        name="Harrow",
        lsoa11=137,
        imd2019_deciles=(0, 2, 10, 7, 24, 23, 26, 19, 16, 10),
        age5_mid2020=(
            17832,
            17429,
            15552,
            13951,
            12889,
            16814,
            18728,
            19059,
            17992,
            16400,
            15757,
            15386,
            13915,
            11505,
            10060,
            7214,
            5740,
            3791,
            2324,
        ),
        females_mid2020=(26254, 18922, 27028, 31425, 21907),
        males_mid2020=(27558, 21733, 28751, 30033, 18727),
        census2021_ethnic=(95241, 9831, 118154, 19156, 18835),
    ),
    Borough(
        code="E09000017",
        name="Hillingdon",
        lsoa11=161,
        imd2019_deciles=(0, 7, 26, 24, 24, 15, 12, 18, 25, 10),
        age5_mid2020=(
            21569,
            22455,
            19878,
            17729,
            19518,
            22063,
            23912,
            24244,
            23095,
            20152,
            19518,
            18147,
            14701,
            11495,
            10699,
            7613,
            6171,
            3884,
            2171,
        ),
        females_mid2020=(32799, 26072, 35335, 36277, 22566),
        males_mid2020=(34833, 29508, 35916, 36241, 19467),
        census2021_ethnic=(147387, 13348, 101938, 23953, 19245),
    ),
    Borough(
        code="E09000018",
        name="Hounslow",
        lsoa11=142,
        imd2019_deciles=(1, 11, 21, 32, 26, 28, 13, 8, 1, 1),
        age5_mid2020=(
            19526,
            19955,
            17304,
            14214,
            15072,
            19216,
            21984,
            23856,
            21621,
            19181,
            17294,
            15549,
            12876,
            10500,
            8850,
            6064,
            4575,
            2716,
            1414,
        ),
        females_mid2020=(29365, 21427, 31951, 31872, 18418),
        males_mid2020=(30500, 23995, 35510, 33028, 15701),
        census2021_ethnic=(127095, 13535, 105836, 20802, 20932),
    ),
    Borough(
        code="E09000020",
        name="Kensington and Chelsea",
        lsoa11=103,
        imd2019_deciles=(9, 14, 7, 10, 12, 11, 12, 23, 5, 0),
        age5_mid2020=(
            8064,
            8796,
            7953,
            7068,
            10140,
            11341,
            11865,
            12466,
            12981,
            11224,
            10781,
            10273,
            8316,
            6973,
            6920,
            4954,
            3408,
            1921,
            1420,
        ),
        females_mid2020=(12716, 13131, 17226, 20836, 14066),
        males_mid2020=(13557, 13958, 20086, 19758, 11530),
        census2021_ethnic=(91380, 9527, 17028, 11286, 14144),
    ),
    Borough(
        code="E09000033",
        name="Westminster",
        lsoa11=128,
        imd2019_deciles=(3, 15, 19, 16, 13, 14, 10, 21, 13, 4),
        age5_mid2020=(
            13634,
            15597,
            13877,
            13383,
            19360,
            26496,
            25816,
            25007,
            21063,
            18167,
            17202,
            14531,
            11815,
            10060,
            8575,
            6010,
            4565,
            2827,
            1863,
        ),
        females_mid2020=(22041, 26053, 31174, 30090, 18193),
        males_mid2020=(23562, 30691, 40712, 31625, 15707),
        census2021_ethnic=(112714, 13324, 34250, 16449, 27477),
    ),
)

#: The 8 boroughs of NHS North West London ICB, in ONS code order.
BOROUGHS: tuple[Borough, ...] = tuple(
    Borough(**{**b.__dict__, "postcode_districts": _DISTRICTS[b.code]}) for b in _FACTS
)
