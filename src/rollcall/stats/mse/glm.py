"""Poisson log-linear fits by iteratively reweighted least squares, in numpy.

Why not statsmodels' GLM: model search fits hundreds of models and the profile interval
dozens more, each on at most 255 cells, where statsmodels' set-up costs more than the
fit; and sparse capture tables often have no finite maximum (a coefficient heading to
minus infinity), which must be detected, not warned about. The fits agree with
statsmodels to 1e-8 on well-posed tables (tests/stats/mse/test_mse_loglinear.py); the benchmark
(bench/mse_bench.py) compares the two.

Existence of the estimate (Fienberg and Rinaldo 2012; Chan, Silverman and Vincent 2021):
the unobserved cell's log-mean is the intercept. A direction d of the coefficients that
leaves the positive cells' means unchanged (X_pos d = 0) and does not raise an empty
cell's (X_zero d <= 0) never lowers the likelihood; if such a direction moves the
intercept up, the likelihood does not bound the estimate (it is infinite); if down, the
estimate collapses onto the documented count. A linear programme finds such directions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import lapack
from scipy.optimize import linprog
from scipy.special import gammaln

#: Log-means are kept within these bounds: a coefficient heading to minus infinity
#: stops at a fitted mean of about 1e-17 instead of underflowing.
_ETA_MIN, _ETA_MAX = -40.0, 40.0
#: Normal equations are solved directly only when their condition number is below 1e8,
#: so that squaring the design's condition loses no more than about 1e-8 of precision.
_RCOND_MIN = 1e-8


@dataclass(frozen=True)
class PoissonFit:
    coef: np.ndarray
    fitted: np.ndarray
    deviance: float
    loglik: float
    converged: bool
    iterations: int
    #: Inverse Fisher information (a pseudo-inverse where a boundary makes it singular).
    cov: np.ndarray


def deviance(y: np.ndarray, mu: np.ndarray) -> float:
    ratio = np.where(y > 0, y / np.where(y > 0, mu, 1.0), 1.0)
    return max(float(2.0 * np.sum(np.where(y > 0, y * np.log(ratio), 0.0) - (y - mu))), 0.0)


def poisson_loglik(y: np.ndarray, mu: np.ndarray) -> float:
    """Sum of log Poisson probabilities (as R's `dpois(log = TRUE)`), for AIC and BIC."""
    safe = np.where(mu > 0, mu, 1.0)
    return float(np.sum(np.where(y > 0, y * np.log(safe), 0.0) - mu - gammaln(y + 1.0)))


def fit_poisson(x: np.ndarray, y: np.ndarray, start: np.ndarray | None = None, *,
                max_iter: int = 100, tol: float = 1e-10) -> PoissonFit:
    """Maximum likelihood by IRLS with step halving; converged when the deviance changes
    by less than `tol` relative (R's glm uses 1e-8)."""
    if start is None:
        coef = _weighted_least_squares(x, np.ones(len(y)), np.log(y + 0.5))
    else:
        coef = start.astype(float)
    eta = np.clip(x @ coef, _ETA_MIN, _ETA_MAX)
    mu = np.exp(eta)
    dev = deviance(y, mu)
    converged = False
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007  (reported after the loop)
        w = np.sqrt(mu)
        z = eta + (y - mu) / mu
        step = _weighted_least_squares(x, w, z)
        for _ in range(30):
            new_eta = np.clip(x @ step, _ETA_MIN, _ETA_MAX)
            new_mu = np.exp(new_eta)
            new_dev = deviance(y, new_mu)
            if np.isfinite(new_dev) and new_dev <= dev + 1e-12 * (abs(dev) + 1):
                break
            step = (step + coef) / 2
        done = abs(new_dev - dev) / (abs(new_dev) + 0.1) < tol
        coef, eta, mu, dev = step, new_eta, new_mu, new_dev
        if done:
            converged = True
            break
    info = x.T @ (x * mu[:, None])
    cov = _well_posed_solve(info, np.eye(info.shape[0]))
    if cov is None:
        cov = np.linalg.pinv(info)
    return PoissonFit(coef=coef, fitted=mu, deviance=dev, loglik=poisson_loglik(y, mu),
                      converged=converged, iterations=iteration, cov=cov)


def _well_posed_solve(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """a^-1 b for a symmetric positive definite `a` by Cholesky, or None where `a` is
    singular or its condition number (LAPACK's estimate) exceeds 1 / `_RCOND_MIN`: then
    the caller takes the slower SVD route, which stays exact at the boundary. LAPACK is
    called directly: scipy.linalg's wrappers cost more than the solve on these sizes."""
    factor, info = lapack.dpotrf(a, lower=1, clean=0)
    if info != 0:
        return None
    rcond, info = lapack.dpocon(factor, np.linalg.norm(a, 1), uplo="L")
    if info != 0 or not rcond >= _RCOND_MIN:
        return None
    solved, info = lapack.dpotrs(factor, b, lower=1)
    return solved if info == 0 and np.all(np.isfinite(solved)) else None


def _weighted_least_squares(x: np.ndarray, w: np.ndarray, z: np.ndarray) -> np.ndarray:
    """One IRLS step: the normal equations where they are well posed (most fits; far
    cheaper than an SVD each step), least squares by SVD where they are not (fits heading
    to the boundary of a sparse table)."""
    xw = x * w[:, None]
    zw = z * w
    solved = _well_posed_solve(xw.T @ xw, xw.T @ zw)
    return solved if solved is not None else np.linalg.lstsq(xw, zw, rcond=None)[0]


def intercept_directions(x: np.ndarray, y: np.ndarray) -> tuple[bool, bool]:
    """(up, down): whether some direction that never lowers the likelihood moves the
    intercept up (the estimate is infinite) or down (it collapses onto the documented).
    Only empty cells make such directions possible."""
    empty = y == 0
    if not empty.any():
        return False, False
    p = x.shape[1]
    bounds = [(-1.0, 1.0)] + [(None, None)] * (p - 1)
    kwargs = {"A_eq": x[~empty], "b_eq": np.zeros(int((~empty).sum())),
              "A_ub": x[empty], "b_ub": np.zeros(int(empty.sum())),
              "bounds": bounds, "method": "highs"}
    objective = np.zeros(p)
    found = []
    for sign in (1.0, -1.0):
        objective[0] = -sign
        result = linprog(objective, **kwargs)
        found.append(bool(result.status == 0 and -result.fun > 1e-7))
    return found[0], found[1]
