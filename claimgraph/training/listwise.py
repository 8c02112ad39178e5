"""A conditional (listwise) logistic model: for each group of rows (the candidate targets of
one source), the softmax of their linear scores should put its mass on the group's positive
rows. Fitted with L-BFGS and an L2 penalty; only columns the data uses are optimised."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import minimize


def fit_listwise(
    x: sparse.csr_matrix, group: np.ndarray, positive: np.ndarray, c: float
) -> np.ndarray:
    """Weights (x.shape[1],) maximising sum over groups of the mean log-softmax of their
    positive rows, minus |w|^2 / (2c); groups without a positive row are left out."""
    _, g = np.unique(group, return_inverse=True)
    pos = positive.astype(float)
    has = np.bincount(g, weights=pos) > 0
    rows = has[g]
    x, pos = x[rows], pos[rows]
    _, g = np.unique(g[rows], return_inverse=True)
    coef = np.zeros(x.shape[1])
    if not len(g):
        return coef
    n = int(g.max()) + 1
    target = pos / np.bincount(g, weights=pos, minlength=n)[g]
    used = np.unique(x.indices)
    xu = x[:, used].tocsr()

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xu @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, g, z)
        e = np.exp(z - top[g])
        total = np.bincount(g, weights=e, minlength=n)
        value = (np.log(total) + top).sum() - target @ z + w @ w / (2 * c)
        grad = xu.T @ (e / total[g] - target) + w / c
        return float(value), grad

    found = minimize(
        loss, np.zeros(len(used)), jac=True, method="L-BFGS-B", options={"maxiter": 400}
    )
    coef[used] = found.x
    return coef
