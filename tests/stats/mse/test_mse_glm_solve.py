"""The IRLS step's two routes: Cholesky where the normal equations are well posed, the
SVD where they are not (a fit heading to the boundary of a sparse table)."""

import numpy as np

from rollcall.stats.mse.glm import _weighted_least_squares, _well_posed_solve


def test_a_well_conditioned_system_is_solved_directly() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(31, 6))
    a, b = x.T @ x, rng.normal(size=6)
    solved = _well_posed_solve(a, b)
    assert solved is not None
    np.testing.assert_allclose(solved, np.linalg.solve(a, b), rtol=1e-10)


def test_an_ill_conditioned_or_singular_system_is_left_to_the_svd() -> None:
    x = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-7], [1.0, 1.0 - 1e-7]])
    assert _well_posed_solve(x.T @ x, np.ones(2)) is None
    assert _well_posed_solve(np.array([[1.0, 1.0], [1.0, 1.0]]), np.ones(2)) is None


def test_the_step_is_the_least_squares_solution_either_way() -> None:
    rng = np.random.default_rng(5)
    x, z = rng.normal(size=(15, 4)), rng.normal(size=15)
    for w in (np.ones(15), np.r_[np.ones(12), np.full(3, 1e-9)]):
        expected = np.linalg.lstsq(x * w[:, None], z * w, rcond=None)[0]
        np.testing.assert_allclose(_weighted_least_squares(x, w, z), expected, rtol=1e-7)
