"""focuson.spc against NHSRplotthedots' own test suite (nhs-r-community/NHSRplotthedots).

Every expected value below is transcribed from the package's tests or snapshots, cited next to it.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from focuson.spc import xmr
from focuson.spc.icons import ASSURANCE_ICONS, assurance_codes
from focuson.spc.rules import segments_of, shift, trend, two_in_three

pytestmark = pytest.mark.oracle

SNAP_STANDARD = (
    "tests/testthat/_snaps/ptd_spc_standard.md @ ea2177d4ccfed7dc14d8f57d20f1114d9b235295"
)
SNAP_SPC = "tests/testthat/_snaps/ptd_spc.md @ 174380d653d7a169a76f99deebb9fc21ed5fbbd6"
TEST_POINT_TYPE = (
    "tests/testthat/test-ptd_calculate_point_type.R @ 8aac3239e90ce9ebeb9c3e61f56c207dfc37b225"
)
TEST_ASSURANCE = (
    "tests/testthat/test-ptd_calculate_assurance_type.R @ 7ed6ae9006d4a5bc8f9839c9eb0afeb34fba4d81"
)

# The package's test data: `set.seed(123); y = rnorm(20)` (test-ptd_spc_standard.R and
# test-ptd_spc.R @ 8aac3239). The first four values are printed in SNAP_STANDARD
# (-0.56047565, -0.23017749, 1.55870831, 0.07050839); all twenty are R's rnorm output for that
# seed, and their mean reproduces the snapshot's mean_col 0.1416238 to 7 digits.
RNORM_123 = np.array(
    [
        -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
        1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
        1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
        1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
    ]
)  # fmt: skip


def test_limits_of_the_package_test_data():
    r = xmr(RNORM_123)
    # SNAP_STANDARD, r1: mean_col 0.1416238, lpl -3.01138, upl 3.294627
    assert_allclose(r.mean[0], 0.1416238, rtol=1e-6)
    assert_allclose(r.lower[0], -3.01138, rtol=1e-6)
    assert_allclose(r.upper[0], 3.294627, rtol=1e-6)
    # SNAP_STANDARD, r1: relative_to_mean of the first 15 points; outside_limits FALSE
    rel = [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    assert_array_equal(np.sign(r.values[0] - r.mean[0])[:15], rel)
    assert not (r.rule[0] == 1).any()
    # SNAP_SPC, first summary: n 20, common_cause 20, special_cause_improvement 0
    assert (r.point_type[0] == "common_cause").all()


def test_screening_of_an_outlying_moving_range():
    y = RNORM_123.copy()
    y[14] = 10  # test-ptd_spc_standard.R: data$y[15] <- 10
    screened, unscreened = xmr(y), xmr(y, screen_outliers=False)
    # SNAP_STANDARD, r2 (screen_outliers = TRUE): mean 0.6694159, lpl -2.383666, upl 3.722497
    assert_allclose(screened.mean[0], 0.6694159, rtol=1e-6)
    assert_allclose(screened.lower[0], -2.383666, rtol=1e-6)
    assert_allclose(screened.upper[0], 3.722497, rtol=1e-6)
    # SNAP_STANDARD, r2: relative_to_mean of the first 14 points
    rel = [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]
    assert_array_equal(np.sign(y - screened.mean[0])[:14], rel)
    # SNAP_STANDARD, r3 (screen_outliers = FALSE): mean 0.6694159, lpl -4.596625, upl 5.935457
    assert_allclose(unscreened.mean[0], 0.6694159, rtol=1e-6)
    assert_allclose(unscreened.lower[0], -4.596625, rtol=1e-6)
    assert_allclose(unscreened.upper[0], 5.935457, rtol=1e-6)


def test_facets_are_charted_separately():
    # test-ptd_spc.R summary test: facet = rep(c(0, 1), each = 10) on the same data
    r = xmr(RNORM_123.reshape(2, 10))
    # SNAP_SPC, third summary (printed to 3 significant digits):
    # f 0: mean 0.0746, lpl -2.60, upl 2.75; f 1: mean 0.209, lpl -3.28, upl 3.70
    assert_allclose(r.mean[:, 0], [0.0746, 0.209], rtol=5e-3)
    assert_allclose(r.lower[:, 0], [-2.60, -3.28], rtol=5e-3)
    assert_allclose(r.upper[:, 0], [2.75, 3.70], rtol=5e-3)
    # SNAP_SPC: n 10, common_cause 10 in both facets; and both are short groups (< 13 points)
    assert (r.point_type == "common_cause").all()
    assert r.short_group.all()


def test_target_does_not_change_limits():
    # SNAP_SPC, "summary with a target" (target 0.5): mean 0.142, lpl -3.01, upl 3.29
    r = xmr(RNORM_123, target=0.5)
    assert_allclose([r.mean[0, 0], r.lower[0, 0], r.upper[0, 0]], [0.142, -3.01, 3.29], rtol=5e-3)
    assert r.assurance_icon.tolist() == ["inconsistent"]


def test_two_close_points_on_opposite_sides_are_common_cause():
    # test-ptd_spc_standard.R @ 8aac3239, last test: alternating 1, -1 (16 points), then
    # points 15 and 16 set to 5.5 and -5.5; the last two point types are common_cause.
    y = np.tile([1.0, -1.0], 8)
    y[14], y[15] = 5.5, -5.5
    r = xmr(y)
    assert r.point_type[0, -2:].tolist() == ["common_cause", "common_cause"]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        # TEST_POINT_TYPE: ptd_seven_point_one_side_mean gives the ends of 7-runs;
        # ptd_part_of_seven_trend extends each end back over its 7 points.
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [1] * 8 + [0]),
        ([-1] * 8 + [1], [1] * 8 + [0]),
        ([-1] + [1] * 8 + [-1], [0] + [1] * 8 + [0]),
    ],
)
def test_shift_rule(relative, expected):
    rel = np.asarray(relative, dtype=float)
    assert shift(rel, segments_of(rel.size)).astype(int).tolist() == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        # TEST_POINT_TYPE, ptd_seven_point_trend (ends) with ptd_part_of_seven_trend (extent)
        (list(range(1, 7)), [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        (list(range(1, 8)), [1] * 7),
        ([2, *range(1, 8), 3], [0] + [1] * 7 + [0]),
        (list(range(7, 0, -1)), [1] * 7),
        ([2, *range(7, 0, -1), 3], [0] + [1] * 7 + [0]),
    ],
)
def test_trend_rule(y, expected):
    values = np.asarray(y, dtype=float)
    flag, _ = trend(values, segments_of(values.size))
    assert flag.astype(int).tolist() == expected


@pytest.mark.parametrize(
    ("close", "relative", "expected"),
    [
        # TEST_POINT_TYPE, ptd_two_in_three then ptd_part_of_two_in_three
        ([0, 0, 0], [1, 1, 1], [0, 0, 0]),
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        # opposite sides of the mean: never two in three
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_two_in_three_rule(close, relative, expected):
    c = np.asarray(close, dtype=bool)
    rel = np.asarray(relative, dtype=float)
    assert two_in_three(c, rel, segments_of(c.size)).astype(int).tolist() == expected


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        # TEST_ASSURANCE: lpl (1, 5, 1), upl (3, 7, 5), target 4
        (1, ["consistent_fail", "consistent_pass", "inconsistent"]),
        (-1, ["consistent_pass", "consistent_fail", "inconsistent"]),
        (0, ["", "", ""]),  # neutral: NA
    ],
)
def test_assurance(direction, expected):
    codes = assurance_codes(
        np.full(3, 4.0), np.array([1.0, 5, 1]), np.array([3.0, 7, 5]), np.full(3, direction)
    )
    assert [ASSURANCE_ICONS[c] for c in codes] == expected


def test_assurance_uses_the_latest_rebase_group():
    # TEST_ASSURANCE, "when rebase": decrease, target 4; only the last row's limits count.
    # Rows in order (1,2,3): last (lpl 1, upl 5) -> inconsistent; (2,3,1): last (1, 3) ->
    # consistent_pass; (3,1,2): last (5, 7) -> consistent_fail.
    codes = assurance_codes(
        np.full(3, 4.0), np.array([1.0, 1, 5]), np.array([5.0, 3, 7]), np.full(3, -1)
    )
    assert [ASSURANCE_ICONS[c] for c in codes] == [
        "inconsistent",
        "consistent_pass",
        "consistent_fail",
    ]


def test_zero_width_limits_as_the_package_runs():
    # shared/reference/spc.md section 1.10, case p06 [RUN with NHSRplotthedots 0.2.2]:
    # y = 1, 1, 1, 1, 2 gives LPL = UPL = mean = 1.2 and every point is outside the limits.
    r = xmr([1.0, 1, 1, 1, 2], zero_variation="plotthedots")
    assert_allclose(r.mean[0], 1.2, rtol=1e-12)
    assert_allclose(r.lower[0], 1.2, rtol=1e-12)
    assert_allclose(r.upper[0], 1.2, rtol=1e-12)
    assert (r.rule_name[0] == "outside_limits").all()
    # and section 1.10 (g16): a constant series is never flagged
    assert (xmr(np.full(15, 3.0)).rule == 0).all()


def test_missing_latest_point_gives_a_common_cause_icon():
    # shared/reference/spc.md section 1.6, case p04 [RUN]: the latest row is used even
    # when its value is NA, and its point type is common_cause.
    y = np.r_[np.zeros(12), 10.0, np.nan]
    y[:12] = np.tile([1.0, 2.0], 6)
    r = xmr(y)
    assert r.point_type[0, -2] == "special_cause_improvement"
    assert r.variation_icon.tolist() == ["common_cause"]
