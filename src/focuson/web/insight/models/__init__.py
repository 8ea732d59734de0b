"""Open's records, one module per concept; import them from here.

* :mod:`.events`: events, participants, paper tallies, insights;
* :mod:`.sources`: sources (notes, transcripts) and their translations;
* :mod:`.coding`: the codebook, codings (coded passages) and memos.
"""

from focuson.web.insight.models.coding import Code, Coding, Memo, code_paths, descendants
from focuson.web.insight.models.events import AttendanceCount, Event, Insight, Participant
from focuson.web.insight.models.sources import Source, Translation, text_hash

__all__ = [
    "AttendanceCount",
    "Code",
    "Coding",
    "Event",
    "Insight",
    "Memo",
    "Participant",
    "Source",
    "Translation",
    "code_paths",
    "descendants",
    "text_hash",
]
from focuson.web.insight.models.release import Quote as Quote
