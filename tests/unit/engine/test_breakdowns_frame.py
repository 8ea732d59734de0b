"""The pandas labels of a cube's keys are exactly the engine's labels."""

import ibis
import pandas as pd
import pytest

from focuson.engine.breakdowns import DIMENSIONS, frame_group_label, group_label


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_frame_labels_match_the_engine(dimension):
    keys = pd.DataFrame(
        {
            "imd_decile": pd.Series([1, None, 10, 3, 6], dtype="Int32"),
            "borough": ["Brent", None, "Ealing", "Brent", "Harrow"],
            "sex": ["F", "M", None, "U", "F"],
            "ethnicity_code": ["N", "Z", None, "Q", "99"],
            "age_start": pd.Series([0, 18, 15, 90, 80], dtype="Int32"),
        }
    )
    cube = ibis.memtable(keys)
    engine = cube.select(g=group_label(dimension, cube)).to_pandas().g
    engine = [None if pd.isna(v) else v for v in engine]
    assert frame_group_label(dimension, keys).tolist() == engine
