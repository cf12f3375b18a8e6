"""Published data sets with published results, reproduced.

Tolerance. Every published figure below is printed rounded (to the unit, one decimal or
two); the test accepts our figure when it rounds to the published one, i.e. lies within
half a unit of the last printed digit. That is the precision the source gives; our
computation is exact maximum likelihood (as Rcapture's, through R's glm), so any larger
difference would be an error, not a rounding. Profile-likelihood limits are compared the
same way: Rcapture finds them by root-finding to 1e-4, as we do.

Sources (all read from the packages' public source, CRAN mirrors on GitHub):
- Rcapture 1.4 (Baillargeon and Rivest 2007, JSS 19(5)), `inst/tests/testPapersResults.R`
  (cran/Rcapture): its regression tests of published results, with the data sets typed in:
  Darroch et al. (1993) R3 data as analysed in Rivest (2011); Bruno et al. (1994) diabetes
  data; Cormack, Chang and Smith (2000) Tables 3a and 3b.
- Rcapture `tests/Examples/Rcapture-Ex.Rout.save`: the saved output of its examples,
  among them Seber (1982, p. 107)'s two-sample data (closedp.t Mt: Lincoln-Petersen;
  closedp.bc Mt: Chapman's bias-corrected estimator).
- MultipleSystemsEstimation (Silverman; bernardsilverman/MultipleSystemsEstimation),
  `docs/articles/user-guide.md`: the Korea data and the BIC of each hierarchical model;
  `docs/articles/reproduce-2024.md`: "only six admissible models after the existence
  check" for Korea.
Capture patterns are given in Rcapture's `histpos.t` order (all lists first, the last
list alone last), which is the order of `CapturePatterns.table()`.
"""

from __future__ import annotations

import itertools

import pytest

from rollcall.errors import EstimateRefused
from rollcall.stats.mse import CapturePatterns, chapman, estimate, lincoln_petersen, loglinear


def histpos(counts: list[int], names: str | None = None) -> CapturePatterns:
    k = {3: 2, 7: 3, 15: 4, 31: 5}[len(counts)]
    lists = tuple(names) if names else tuple(f"c{i}" for i in range(1, k + 1))
    patterns = [p for p in itertools.product((1, 0), repeat=k) if any(p)]
    return CapturePatterns.from_pairs(lists, zip(patterns, counts, strict=True))


def printed(value: float, published: float, digits: int = 0) -> bool:
    """`value` rounds to `published` at the printed number of decimals."""
    return abs(value - published) <= 0.5 * 10 ** -digits + 1e-9


def chosen(result):
    return result.details["chosen"]


SEBER = histpos([167, 781, 254])


def test_seber_two_samples_lincoln_petersen_and_chapman():
    """Rcapture-Ex.Rout.save, 'Seber (1982) p.107': closedp.t Mt 2389.9 (s.e. 130.4);
    closedp.bc Mt (Chapman) 2382.8 (s.e. 129.1). The log-linear independence model on two
    lists is Lincoln-Petersen: the same 2389.9."""
    lp = lincoln_petersen(SEBER)
    assert printed(lp.estimate, 2389.9, 1)
    assert printed(lp.details["standard_error"], 130.4, 1)
    ch = chapman(SEBER)
    assert printed(ch.estimate, 2382.8, 1)
    assert printed(ch.details["standard_error"], 129.1, 1)
    independence = loglinear(SEBER)
    assert printed(independence.estimate, 2389.9, 1)
    assert printed(chosen(independence)["standard_error"], 130.4, 1)


def test_darroch_r3_rivest_2011():
    """testPapersResults.R, Rivest (2011) on the R3 data of Darroch et al. (1993):
    all pairs 1240 (s.e. 451); pairs [12] and [23]: 850 (s.e. 186), deviance 3.8 on 1 df."""
    r3 = histpos([72, 155, 7, 71, 13, 53, 43])
    saturated = loglinear(r3, model=[("c1", "c2"), ("c1", "c3"), ("c2", "c3")])
    assert printed(saturated.estimate, 1240) and printed(chosen(saturated)["standard_error"], 451)
    inter2 = loglinear(r3, model=[("c1", "c2"), ("c2", "c3")])
    assert printed(inter2.estimate, 850)
    assert printed(chosen(inter2)["standard_error"], 186)
    assert printed(chosen(inter2)["deviance"], 3.8, 1) and chosen(inter2)["df"] == 1


def test_diabetes_bruno_1994():
    """testPapersResults.R, diabetes data of Bruno et al. (1994), four lists: all pairs
    but [14]: 2771 (s.e. 145), deviance 7.62 on 5 df; pairs [13], [24], [34]: 2472
    (s.e. 53), deviance 21.97 on 7 df."""
    diabetes = histpos([58, 157, 18, 104, 46, 650, 12, 709, 14, 20, 7, 74, 8, 182, 10])
    pairs = [p for p in itertools.combinations(["c1", "c2", "c3", "c4"], 2)
             if p != ("c1", "c4")]
    bruno = loglinear(diabetes, model=pairs)
    assert printed(bruno.estimate, 2771) and printed(chosen(bruno)["standard_error"], 145)
    assert printed(chosen(bruno)["deviance"], 7.62, 2) and chosen(bruno)["df"] == 5
    nohetero = loglinear(diabetes, model=[("c1", "c3"), ("c2", "c4"), ("c3", "c4")])
    assert printed(nohetero.estimate, 2472)
    assert printed(chosen(nohetero)["standard_error"], 53)
    assert printed(chosen(nohetero)["deviance"], 21.97, 2) and chosen(nohetero)["df"] == 7


CORMACK_4 = histpos([72, 5, 29, 53, 24, 3, 12, 14, 0, 0, 0, 1, 0, 0, 2])


def test_cormack_chang_smith_table_3a_four_lists():
    """testPapersResults.R, Cormack, Chang and Smith (2000) Table 3a: independence 215,
    deviance 87.1 on 10 df; all pairs: abundance > 1,000,000 (Rcapture's fit drifting to
    infinity), which we refuse as an infinite estimate; + [34]: 215 on 9 df; + [34],
    [13]: deviance 7.7 on 8 df; + [12], [13], [34]: 218, deviance 2.6 on 7 df."""
    independence = loglinear(CORMACK_4, model=[])
    assert printed(independence.estimate, 215)
    assert printed(chosen(independence)["deviance"], 87.1, 1)
    assert chosen(independence)["df"] == 10
    with pytest.raises(EstimateRefused, match="infinite"):
        loglinear(CORMACK_4, model=itertools.combinations(["c1", "c2", "c3", "c4"], 2))
    a3 = loglinear(CORMACK_4, model=[("c3", "c4")])
    assert printed(a3.estimate, 215) and chosen(a3)["df"] == 9
    a4 = loglinear(CORMACK_4, model=[("c3", "c4"), ("c1", "c3")])
    assert printed(chosen(a4)["deviance"], 7.7, 1) and chosen(a4)["df"] == 8
    a5 = loglinear(CORMACK_4, model=[("c1", "c2"), ("c1", "c3"), ("c3", "c4")])
    assert printed(a5.estimate, 218)
    assert printed(chosen(a5)["deviance"], 2.6, 1) and chosen(a5)["df"] == 7


def test_cormack_chang_smith_table_3b_profile_intervals():
    """testPapersResults.R, Table 3b (three lists): independence 209, deviance 75.1 on 3
    df, 95% profile interval 203 to 217; + [23]: deviance 1.2 on 2 df, lower limit 210;
    + [13], [23]: 233 on 1 df, lower limit 204."""
    data = histpos([72, 5, 29, 54, 24, 3, 14])
    b1 = loglinear(data, model=[])
    assert printed(b1.estimate, 209)
    assert printed(chosen(b1)["deviance"], 75.1, 1) and chosen(b1)["df"] == 3
    assert printed(b1.lower, 203) and printed(b1.upper, 217)
    assert b1.interval == "profile likelihood"
    b2 = loglinear(data, model=[("c2", "c3")])
    assert printed(chosen(b2)["deviance"], 1.2, 1) and chosen(b2)["df"] == 2
    assert printed(b2.lower, 210)
    b4 = loglinear(data, model=[("c1", "c3"), ("c2", "c3")])
    assert printed(b4.estimate, 233) and chosen(b4)["df"] == 1
    assert printed(b4.lower, 204)


def test_korea_bic_selection_over_every_hierarchical_model():
    """MultipleSystemsEstimation user guide: Korea (lists b, c, d), BIC selection picks
    [12,23] with 157.1667 (BIC 57.14081); the other admissible models [12,3] 268.7778
    (58.96860), [13,23] 123.4630 (91.89711), [23,1] 126.1944 (138.06368), [13,2] 126.9394
    (155.16018), [1,2,3] 141.9926 (184.14431). reproduce-2024.md: six admissible models
    after the existence check, so the other two (with [13] and [12]) have no finite
    estimate."""
    korea = CapturePatterns.from_pairs("bcd", [((0, 0, 1), 41), ((0, 1, 0), 5),
                                              ((1, 0, 0), 5), ((1, 1, 0), 54),
                                              ((1, 0, 1), 6), ((0, 1, 1), 0),
                                              ((1, 1, 1), 12)])
    result = estimate(korea, "loglinear", criterion="bic")
    assert printed(result.estimate, 157.1667, 4)
    rows = {row["model"]: row for row in result.details["competing_models"]}
    published = {"b:c + c:d": (157.1667, 57.14081), "b:c": (268.7778, 58.96860),
                 "b:d + c:d": (123.4630, 91.89711), "c:d": (126.1944, 138.06368),
                 "b:d": (126.9394, 155.16018), "independence": (141.9926, 184.14431)}
    for name, (abundance, bic) in published.items():
        assert printed(rows[name]["estimate"], abundance, 4), name
        assert printed(rows[name]["bic"], bic, 5), name
    infinite = [row["model"] for row in rows.values() if row["status"] == "infinite"]
    assert sorted(infinite) == ["b:c + b:d", "b:c + b:d + c:d"]
    assert result.details["models_fitted"] == 8
