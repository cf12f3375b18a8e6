"""Two lists: the log-scale interval worked by hand, and what is refused or warned."""

from __future__ import annotations

import math

import pytest

from rollcall.errors import EstimateRefused
from rollcall.stats.mse import CapturePatterns, chapman, estimate, lincoln_petersen


def two(both: int, first_only: int, second_only: int) -> CapturePatterns:
    return CapturePatterns.from_pairs(["own", "icrc"], [((1, 1), both), ((1, 0), first_only),
                                                        ((0, 1), second_only)])


def test_chapman_by_hand():
    """n1 = 60, n2 = 50, m = 20: N = 61 * 51 / 21 - 1 = 147.143; var = 61 * 51 * 40 * 30 /
    (21^2 * 22) = 384.787; f0 = N - 90 = 57.143; C = exp(1.96 sqrt(log(1 + var / f0^2))) =
    exp(1.96 * 0.33376) = 1.92354; interval 90 + f0 / C = 119.71 to 90 + f0 * C = 199.92."""
    result = chapman(two(20, 40, 30))
    assert result.estimate == pytest.approx(61 * 51 / 21 - 1)
    variance = 61 * 51 * 40 * 30 / (21 ** 2 * 22)
    assert result.details["standard_error"] == pytest.approx(math.sqrt(variance))
    c = math.exp(1.959964 * math.sqrt(math.log(1 + variance / (result.estimate - 90) ** 2)))
    assert result.lower == pytest.approx(90 + (result.estimate - 90) / c, rel=1e-6)
    assert result.upper == pytest.approx(90 + (result.estimate - 90) * c, rel=1e-6)
    assert (round(result.lower, 1), round(result.upper, 1)) == (119.7, 199.9)
    assert result.interval == "normal on log scale" and result.warnings == ()
    assert result.lower > result.documented


def test_no_overlap_is_refused_and_a_small_one_warned():
    with pytest.raises(EstimateRefused, match="no person is on both 'own' and 'icrc'"):
        chapman(two(0, 40, 30))
    with pytest.raises(EstimateRefused, match="no person is on both"):
        lincoln_petersen(two(0, 40, 30))
    small = lincoln_petersen(two(3, 40, 30))
    assert small.estimate == pytest.approx(43 * 33 / 3)
    assert any("only 3 persons are on both lists" in w for w in small.warnings)


def test_two_list_methods_take_exactly_two_lists_and_auto_picks_by_count():
    three = CapturePatterns.from_pairs("abc", [((1, 1, 0), 5), ((1, 0, 1), 4),
                                               ((0, 1, 1), 3), ((1, 0, 0), 9)])
    with pytest.raises(EstimateRefused, match="exactly two lists; 3 given"):
        chapman(three)
    assert estimate(two(20, 40, 30), "auto").method == "chapman"
    assert estimate(three, "auto").method == "loglinear"
    one = CapturePatterns.from_pairs(["a"], [((1,), 5)])
    with pytest.raises(EstimateRefused, match="at least two lists"):
        estimate(one, "auto")


def test_estimate_is_json_ready():
    document = chapman(two(20, 40, 30)).to_dict()
    assert document["method"] == "chapman" and document["lists"] == ["own", "icrc"]
    assert isinstance(document["estimate"], float) and document["refused"] is None
    assert document["details"]["both"] == 20
