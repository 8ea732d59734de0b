"""Statistical process control: Making Data Count XmR charts (NHSRplotthedots 0.2.2).

Pure numpy: one call charts thousands of series (indicator x group x period matrices), with the
Making Data Count special-cause rules, point types, variation icons and assurance icons.

>>> from focuson.spc import xmr
>>> xmr([[1.0, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9]]).variation_icon.tolist()
['improvement_high']
"""

from focuson.spc.icons import ASSURANCE_ICONS, COLOURS, POINT_TYPES, VARIATION_ICONS
from focuson.spc.xmr import RULES, XmrResult, xmr

__all__ = [
    "ASSURANCE_ICONS",
    "COLOURS",
    "POINT_TYPES",
    "RULES",
    "VARIATION_ICONS",
    "XmrResult",
    "xmr",
]
