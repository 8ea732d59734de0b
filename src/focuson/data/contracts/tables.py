"""The eight table contracts, version 1.

``persons`` holds one row per person; every other table holds activity, and its ``person_id``
must be a person in ``persons``. Dates are ``YYYY-MM-DD``; timestamps ``YYYY-MM-DD HH:MM:SS``; an
empty cell is a missing value. See ``docs/data-contracts.md`` for the plain-English version.

References
----------
NHS England. NHS Data Model and Dictionary: ETHNIC CATEGORY, PERSON STATED GENDER CODE, ACCIDENT
AND EMERGENCY DEPARTMENT TYPE, TREATMENT FUNCTION CODE, ADMISSION METHOD. Office for National
Statistics. Lower layer Super Output Areas (2011, 2021). World Health Organization. ICD-10.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from focuson.data.contracts.columns import (
    EARLIEST_BIRTH,
    EARLIEST_EVENT,
    Column,
    Contract,
    ForeignKey,
    RowRule,
)
from focuson.data.reference.ethnicity import NHS_ETHNIC_CATEGORY_GROUPS

#: The contract version this module defines.
CONTRACT_VERSION = 1

#: NHS ethnic category codes (A-S without I, O, Q; Z not stated; 99 not known).
ETHNICITY_CODES: tuple[str, ...] = (
    *sorted(c for c in NHS_ETHNIC_CATEGORY_GROUPS if c not in ("Z", "99")),
    "Z",
    "99",
)

LSOA_PATTERN = "[EW]01[0-9]{6}"
ODS_ORGANISATION_PATTERN = "[0-9A-Z]{3,6}"
ODS_PRACTICE_PATTERN = "[A-Z][0-9A-Z][0-9]{4}"
ICD10_PATTERN = "[A-Z][0-9]{2}(\\.?[0-9A-Z]{1,4})?"

_ODS_WORDS = "an ODS organisation code (3 to 6 capital letters or digits, e.g. RYJ)"


def _id(name: str, what: str) -> Column:
    return Column(name, "string", what)


def _person() -> Column:
    return Column("person_id", "string", "The person: a person_id of the persons table.")


def _provider() -> Column:
    return Column(
        "provider",
        "code",
        "The provider's ODS organisation code (trust or site).",
        pattern=ODS_ORGANISATION_PATTERN,
        pattern_words=_ODS_WORDS,
    )


def _date(name: str, what: str, *, nullable: bool = False) -> Column:
    return Column(name, "date", what, nullable=nullable, earliest=EARLIEST_EVENT)


_PERSON_FK = (ForeignKey("person_id", "persons"),)

PERSONS = Contract(
    "persons",
    "One row per person: who they are and where they live.",
    (
        _id("person_id", "A pseudonymised person identifier, unique in the table."),
        Column(
            "sex",
            "code",
            "Sex: F female, M male, U not known.",
            codes=("F", "M", "U"),
            unknown=(("U", "not known"),),
        ),
        Column(
            "date_of_birth",
            "date",
            "Date of birth; month precision is fine (YYYY-MM is read as the 1st).",
            month_precision=True,
            earliest=EARLIEST_BIRTH,
        ),
        Column(
            "ethnicity",
            "code",
            "NHS ethnic category code: A-S, Z not stated, 99 not known.",
            codes=ETHNICITY_CODES,
            unknown=(("Z", "not stated"), ("99", "not known")),
        ),
        Column(
            "lsoa",
            "code",
            "LSOA of residence, of the vintage (2011 or 2021) the dataset declares; empty if "
            "not known.",
            nullable=True,
            pattern=LSOA_PATTERN,
            pattern_words="an LSOA code (E01 or W01 and 6 digits)",
            empty_means="not known",
        ),
        Column(
            "practice",
            "code",
            "GP practice ODS code; empty if not registered or not known.",
            required=False,
            nullable=True,
            pattern=ODS_PRACTICE_PATTERN,
            pattern_words="a GP practice ODS code (a letter, a letter or digit, 4 digits: E84002)",
            empty_means="not registered or not known",
        ),
        Column(
            "main_language",
            "string",
            "Main spoken language (e.g. an NHS language code or name); empty if not recorded.",
            required=False,
            nullable=True,
            empty_means="not recorded",
        ),
    ),
    primary_key=("person_id",),
)

RTT_PATHWAYS = Contract(
    "rtt_pathways",
    "One row per referral-to-treatment (RTT) pathway: a clock that starts at referral and "
    "stops at treatment or a decision not to treat; still waiting while clock_stop is empty.",
    (
        _id("pathway_id", "The pathway identifier, unique in the table."),
        _person(),
        _provider(),
        Column(
            "treatment_function",
            "string",
            "The treatment function (specialty), e.g. its NHS code 100 General Surgery.",
        ),
        _date("clock_start", "The date the RTT clock started."),
        _date("clock_stop", "The date the clock stopped; empty while waiting.", nullable=True),
    ),
    primary_key=("pathway_id",),
    foreign_keys=_PERSON_FK,
    rules=(RowRule("not_before", "clock_stop", "clock_start"),),
)

DIAGNOSTIC_WAITS = Contract(
    "diagnostic_waits",
    "One row per request for a diagnostic test (the DM01 tests).",
    (
        _id("request_id", "The request identifier, unique in the table."),
        _person(),
        _provider(),
        Column("modality", "string", "The test, e.g. MRI, CT, non-obstetric ultrasound."),
        _date("requested", "The date the test was requested."),
        _date("tested", "The date of the test; empty while waiting.", nullable=True),
    ),
    primary_key=("request_id",),
    foreign_keys=_PERSON_FK,
    rules=(RowRule("not_before", "tested", "requested"),),
)

AE_ATTENDANCES = Contract(
    "ae_attendances",
    "One row per attendance at an A&E department (emergency care).",
    (
        _id("attendance_id", "The attendance identifier, unique in the table."),
        _person(),
        _provider(),
        Column(
            "department_type",
            "integer",
            "A&E department type: 1 major emergency department, 2 single specialty, 3 urgent "
            "treatment centre or minor injury unit, 4 (historic) walk-in centre.",
            minimum=1,
            maximum=4,
        ),
        Column("arrival", "timestamp", "Date and time of arrival.", earliest=EARLIEST_EVENT),
        Column(
            "departure",
            "timestamp",
            "Date and time of departure (discharge, admission).",
            earliest=EARLIEST_EVENT,
        ),
    ),
    primary_key=("attendance_id",),
    foreign_keys=_PERSON_FK,
    rules=(RowRule("not_before", "departure", "arrival"),),
)

CANCER_PATHWAYS = Contract(
    "cancer_pathways",
    "One row per urgent suspected cancer referral and its milestones.",
    (
        _id("pathway_id", "The pathway identifier, unique in the table."),
        _person(),
        Column("cancer_type", "string", "The suspected (or diagnosed) cancer type."),
        _date("referral", "The date the referral was received."),
        _date(
            "diagnosis_communicated",
            "The date cancer was diagnosed or ruled out and the person told (Faster Diagnosis "
            "Standard); empty until then.",
            nullable=True,
        ),
        _date(
            "decision_to_treat",
            "The date of the decision to treat; empty if none.",
            nullable=True,
        ),
        _date(
            "first_treatment",
            "The date of the first definitive treatment; empty if none.",
            nullable=True,
        ),
        Column(
            "stage",
            "integer",
            "Stage at diagnosis, 1-4; empty if no cancer was diagnosed, or not staged or known.",
            nullable=True,
            minimum=1,
            maximum=4,
            empty_means="no stage (no cancer diagnosed, not staged or not known)",
        ),
    ),
    primary_key=("pathway_id",),
    foreign_keys=_PERSON_FK,
    rules=(
        RowRule("not_before", "diagnosis_communicated", "referral"),
        RowRule("not_before", "decision_to_treat", "referral"),
        RowRule("not_before", "first_treatment", "referral"),
        RowRule("not_before", "first_treatment", "decision_to_treat"),
    ),
)

SCREENING = Contract(
    "screening",
    "One row per invitation to a national screening programme.",
    (
        _person(),
        Column(
            "programme",
            "code",
            "The screening programme: breast, cervical or bowel.",
            codes=("breast", "cervical", "bowel"),
        ),
        _date("invited", "The date of the invitation."),
        _date("screened", "The date the person was screened; empty if not (yet).", nullable=True),
    ),
    primary_key=("person_id", "programme", "invited"),
    foreign_keys=_PERSON_FK,
    rules=(RowRule("not_before", "screened", "invited"),),
)

HYPERTENSION = Contract(
    "hypertension",
    "One row per person on the hypertension register, with their latest blood pressure.",
    (
        _person(),
        _date("diagnosed", "The date hypertension was diagnosed."),
        _date(
            "last_bp",
            "The date of the latest blood pressure reading; empty if none.",
            nullable=True,
        ),
        Column(
            "systolic",
            "integer",
            "Latest systolic blood pressure, mmHg; empty when last_bp is.",
            nullable=True,
            minimum=40,
            maximum=300,
        ),
        Column(
            "diastolic",
            "integer",
            "Latest diastolic blood pressure, mmHg; empty when last_bp is.",
            nullable=True,
            minimum=20,
            maximum=200,
        ),
    ),
    primary_key=("person_id",),
    foreign_keys=_PERSON_FK,
    rules=(
        RowRule("filled_with", "systolic", "last_bp"),
        RowRule("filled_with", "diastolic", "last_bp"),
        RowRule("greater_than", "systolic", "diastolic"),
    ),
)

ADMISSIONS = Contract(
    "admissions",
    "One row per hospital admission.",
    (
        _id("admission_id", "The admission identifier, unique in the table."),
        _person(),
        _date("admitted", "The date of admission."),
        Column(
            "method",
            "code",
            "How the person was admitted: elective or emergency.",
            codes=("elective", "emergency"),
        ),
        Column(
            "primary_diagnosis",
            "code",
            "The primary diagnosis, an ICD-10 code (I10, I21.4 or I214).",
            pattern=ICD10_PATTERN,
            pattern_words="an ICD-10 code (a capital letter, 2 digits, then up to 4 more: I21.4)",
        ),
    ),
    primary_key=("admission_id",),
    foreign_keys=_PERSON_FK,
    rules=(),
)

#: The contracts, version 1, by table name; ``persons`` first (the others refer to it).
CONTRACTS: Mapping[str, Contract] = MappingProxyType(
    {
        c.name: c
        for c in (
            PERSONS,
            RTT_PATHWAYS,
            DIAGNOSTIC_WAITS,
            AE_ATTENDANCES,
            CANCER_PATHWAYS,
            SCREENING,
            HYPERTENSION,
            ADMISSIONS,
        )
    }
)
