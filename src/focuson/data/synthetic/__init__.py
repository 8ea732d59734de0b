"""A synthetic North West London: 8 boroughs, about 2.1 million people at scale 1, 24 months
of activity in every contract table, with planted inequalities recorded in ``truth.json``.

Generate 105,000 people and their activity into a folder (about half a second)::

    from focuson.data.synthetic import generate
    summary = generate("out/synth", scale=0.05, seed=1, reference_dir=None)

See :func:`~focuson.data.synthetic.generate.generate` for the parameters and
:mod:`~focuson.data.synthetic.effects` for what is planted.
"""

from focuson.data.synthetic.boroughs import BOROUGHS, Borough
from focuson.data.synthetic.generate import (
    DEFAULT_SEED,
    DEFAULT_START,
    TABLES,
    SyntheticSummary,
    generate,
)
from focuson.data.synthetic.geography import Geography, load_geography

__all__ = [
    "BOROUGHS",
    "DEFAULT_SEED",
    "DEFAULT_START",
    "TABLES",
    "Borough",
    "Geography",
    "SyntheticSummary",
    "generate",
    "load_geography",
]
