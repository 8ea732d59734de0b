"""The demo's Open texts, written by hand: short, plausible, synthetic, naming no real person.

Transcripts put one speaker's words on a line (``label: words``), so each line is one passage
and a unit of the agreement between coders. The Bengali and Arabic are simple sentences; their
English versions follow them line for line.
"""

from __future__ import annotations

#: The listening event's paper sign-in sheet, by Find's breakdown codes ("" = prefer not to say).
TALLY: dict[str, dict[str, int]] = {
    "ethnicity_6": {"Asian": 12, "Black": 8, "White": 9, "Other": 4, "": 2},
    "age_band_broad": {"18-64": 17, "65-79": 12, "80+": 3, "": 3},
    "sex": {"F": 20, "M": 13, "": 2},
}

NOTES = """\
Demo listening event: notes written up by the facilitator afterwards.
About 35 people came; interpreters for Bengali and Arabic were there.
Many said the invitation letters come in English only and go unread.
Several could not get through on the phone at eight in the morning.
People who work shifts said appointments are only offered in working hours.
Three people said they had the check abroad or privately, so NHS records would not show it.
Older people rely on their children to book and to read letters.
People asked for sessions at the mosque, the temple and the community centre, in their language.
Nobody had heard of the local health champions.
"""

BENGALI = """\
Facilitator: আপনারা ডাক্তারের কাছে যেতে কী কী সমস্যায় পড়েন?
P01: চিঠিগুলো ইংরেজিতে আসে, আমি পড়তে পারি না।
P02: আমার মেয়ে আমার জন্য চিঠি পড়ে দেয়, কিন্তু সে সবসময় বাড়িতে থাকে না।
P03: সকালে ফোন করলে লাইন সবসময় ব্যস্ত থাকে।
P04: আমি দিনে কাজ করি, তাই দিনের বেলা অ্যাপয়েন্টমেন্টে যেতে পারি না।
P05: মহিলা ডাক্তার থাকলে আমি বেশি স্বস্তি পাই।
Facilitator: কোথায় স্বাস্থ্য নিয়ে কথা বলতে আপনাদের ভালো লাগবে?
P06: মসজিদে বা কমিউনিটি সেন্টারে কথা হলে অনেকে আসবে।
P07: আমি বাংলাদেশে গিয়ে পরীক্ষা করিয়েছিলাম, এখানে কেউ জানে না।
P01: কেউ যদি বাংলায় বুঝিয়ে বলে, আমি অবশ্যই যাব।
"""

BENGALI_HUMAN = """\
Facilitator: What problems do you have in getting to the doctor?
P01: The letters come in English, I cannot read them.
P02: My daughter reads the letters for me, but she is not always at home.
P03: When I ring in the morning, the line is always busy.
P04: I work during the day, so I cannot go to appointments in the daytime.
P05: I feel more at ease when there is a woman doctor.
Facilitator: Where would you like to talk about health?
P06: If it is at the mosque or the community centre, many people will come.
P07: I had the test when I went to Bangladesh; nobody here knows.
P01: If someone explains it in Bengali, I will certainly go.
"""

ARABIC = """\
Facilitator: ما الذي يصعب عليك عند حجز موعد مع الطبيب؟
I01: أنتظر وقتا طويلا على الهاتف ثم لا أجد موعدا.
I01: لا أفهم الرسائل لأنها باللغة الإنجليزية فقط.
I01: أحتاج إلى مترجم في العيادة، لكنهم لا يعرضون ذلك.
Facilitator: ما الذي قد يساعدك؟
I01: المركز المجتمعي مكان مريح للحديث عن الصحة.
I01: أعمل في النهار، لذلك المواعيد في المساء أفضل لي.
"""

#: As a machine would give it: close to the words, a little stiff.
ARABIC_MACHINE = """\
Facilitator: What is difficult for you when booking an appointment with the doctor?
I01: I wait a long time on the phone and then I do not find an appointment.
I01: I do not understand the letters because they are in the English language only.
I01: I need a translator in the clinic, but they do not offer that.
Facilitator: What could help you?
I01: The community centre is a comfortable place for talking about health.
I01: I work in the day, so the appointments in the evening are better for me.
"""

#: The released quote comes from line 2: a phone number (Ofcom's drama range, never anyone's)
#: and a first name for the release step to redact.
ENGLISH_INTERVIEW = """\
Facilitator: How did you hear about the check?
I02: A letter came but it went in the pile with the bills. My neighbour told me it mattered.
I02: I rang three times. In the end Sandra on reception said to call 07700 900461 on Monday.
I02: If the nurse came to the community centre on a Saturday, I would go, and so would my friends.
Facilitator: Anything else?
I02: Nobody ever asked me before what would make it easier.
"""

#: (name, the heading it sits under or "", what it is for). Headings only group codes.
CODEBOOK: tuple[tuple[str, str, str], ...] = (
    ("Access", "", "Getting an invitation, an appointment and there."),
    ("Letters and language", "Access", "Letters, leaflets and talk people cannot read or follow."),
    ("Phone booking", "Access", "Getting through to book."),
    ("Appointment times", "Access", "Times that do not fit work or caring."),
    ("Trust and comfort", "", "Where and with whom people feel at ease."),
    ("Trusted places", "Trust and comfort", "Places people already go and trust."),
    ("Gender of the clinician", "Trust and comfort", "Wanting a woman (or a man) to see them."),
    ("Family and community", "", "Who helps."),
    ("Family help", "Family and community", "Children, neighbours or friends reading and booking."),
    ("Care not in the records", "", "Care had abroad or privately, which NHS data miss."),
)

#: (statement, type, how it bears on the project's finding, the codes of its supporting excerpts).
INSIGHTS: tuple[tuple[str, str, str, frozenset[str]], ...] = (
    (
        "Demo: invitation letters come in English only, so people who read Bengali or Arabic "
        "miss them or wait for family to read them.",
        "barrier",
        "explains",
        frozenset({"Letters and language", "Family help"}),
    ),
    (
        "Demo: booking by phone at eight in the morning and daytime-only appointments shut out "
        "people who work.",
        "barrier",
        "explains",
        frozenset({"Phone booking", "Appointment times"}),
    ),
    (
        "Demo: some people had the check abroad or privately, so the records count them as "
        "missing.",
        "problem",
        "contradicts",
        frozenset({"Care not in the records"}),
    ),
    (
        "Demo: mosques and community centres are trusted places where people would come to "
        "talk about health.",
        "asset",
        "new_issue",
        frozenset({"Trusted places"}),
    ),
)

#: (key, event, title, file name, kind, language, text, translation or None: (made by, text,
#: translator)). The Bengali transcript is uploaded by its first coder, the rest by the lead.
SOURCES: tuple[tuple[str, str, str, str, str, str, str, tuple[str, str, str] | None], ...] = (
    ("notes", "listening", "facilitator's notes of the listening event",
     "listening-event-notes.txt", "notes", "en", NOTES, None),
    ("bengali", "conversation", "community conversation transcript (Bengali)",
     "conversation-bengali.txt", "transcript", "bn", BENGALI,
     ("human", BENGALI_HUMAN, "Demo volunteer interpreter (Bengali)")),
    ("arabic", "interviews", "interview I01 (Arabic)", "interview-i01-arabic.txt", "transcript",
     "ar", ARABIC, ("machine", ARABIC_MACHINE, "Machine translation (demo)")),
    ("english", "interviews", "interview I02 (English)", "interview-i02.txt", "transcript", "en",
     ENGLISH_INTERVIEW, None),
)  # fmt: skip

_LETTERS, _PHONE, _TIMES = "Letters and language", "Phone booking", "Appointment times"
_PLACES, _FAMILY, _ABROAD = "Trusted places", "Family help", "Care not in the records"

#: (source, coder, {line with words, from 0: the codes applied to it}). Two coders ("first",
#: "second") on the Bengali transcript: mostly the same codes, a few differences.
CODINGS: tuple[tuple[str, str, dict[int, tuple[str, ...]]], ...] = (
    ("bengali", "first", {1: (_LETTERS,), 2: (_FAMILY,), 3: (_PHONE,), 4: (_TIMES,),
                          5: ("Gender of the clinician",), 7: (_PLACES,), 8: (_ABROAD,),
                          9: (_LETTERS,)}),
    ("bengali", "second", {1: (_LETTERS,), 2: (_FAMILY, _LETTERS), 3: (_PHONE,), 4: (_TIMES,),
                           7: (_PLACES,), 8: (_ABROAD,), 9: (_LETTERS, _PLACES)}),
    ("arabic", "lead", {1: (_PHONE,), 2: (_LETTERS,), 3: (_LETTERS,), 5: (_PLACES,),
                        6: (_TIMES,)}),
    ("english", "lead", {1: (_LETTERS, _FAMILY), 2: (_PHONE,), 3: (_PLACES, _TIMES)}),
    ("notes", "lead", {2: (_LETTERS,), 3: (_PHONE,), 4: (_TIMES,), 5: (_ABROAD,),
                       7: (_PLACES,)}),
)  # fmt: skip
