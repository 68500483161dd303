"""The 2×2 DiD building blocks of :func:`evalkit.models.staggered_did` (R ``DRDID``).

Each function returns ``(att, influence)`` for one comparison of a treated cohort with its
comparison units between a base period and a later one:

- panel data (one outcome change per unit): doubly robust ``drdid_panel``, standardised IPW
  ``std_ipw_did_panel`` and outcome regression ``reg_did_panel``;
- stacked observations of the two periods (R did's estimator for unbalanced panels, where a
  unit may be seen in only one of the two periods): ``drdid_rc`` (locally efficient doubly
  robust), ``std_ipw_did_rc`` and ``reg_did_rc``.

``X`` is the design matrix with an intercept column, or ``None`` without covariates (then all
three estimators are the difference of mean changes and share one influence function).
Sant'Anna & Zhao (2020), J. Econometrics 219(1); formulas as in DRDID and ``moderndid``.

Examples
--------
>>> import numpy as np
>>> dy = np.array([1.0, 2.0, 3.0, 0.0, 1.0, 2.0])
>>> d = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
>>> panel_att_if(dy, d, None, "dr")[0]
1.0

"""

from __future__ import annotations

from typing import Literal

import numpy as np

from evalkit.models.propensity import TRIM_LEVEL, dr_att_if, ipw_att_if, logit_pscore

EstMethod = Literal["dr", "ipw", "reg"]
EST_METHODS = ("dr", "ipw", "reg")


def _ols_rep(y: np.ndarray, X: np.ndarray, subset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS fit on ``subset`` and the linear representation of its coefficients (n × k)."""
    n = len(y)
    beta = np.linalg.lstsq(X[subset], y[subset], rcond=None)[0]
    fitted = X @ beta
    w = subset.astype(float)
    gram_inv = np.linalg.inv((X * w[:, None]).T @ X / n)
    return fitted, ((w * (y - fitted))[:, None] * X) @ gram_inv


def reg_att_if(dy: np.ndarray, d: np.ndarray, X: np.ndarray) -> tuple[float, np.ndarray]:
    """Outcome-regression ATT of a panel 2×2 DiD (DRDID ``reg_did_panel``)."""
    fitted, lin_ols = _ols_rep(dy, X, d == 0)
    mean_d = d.mean()
    eta_treat = np.mean(d * dy) / mean_d
    eta_cont = np.mean(d * fitted) / mean_d
    inf_treat = (d * dy - d * eta_treat) / mean_d
    inf_cont = (d * fitted - d * eta_cont + lin_ols @ np.mean(d[:, None] * X, axis=0)) / mean_d
    return float(eta_treat - eta_cont), inf_treat - inf_cont


def panel_att_if(dy: np.ndarray, d: np.ndarray, X: np.ndarray | None,
                 est_method: EstMethod = "dr") -> tuple[float, np.ndarray]:
    """ATT and influence function of a panel 2×2 DiD on outcome changes ``dy``."""
    if X is None:
        # Without covariates every estimator is the difference of mean changes.
        p1 = d.mean()
        mu1, mu0 = dy[d == 1].mean(), dy[d == 0].mean()
        return float(mu1 - mu0), d * (dy - mu1) / p1 - (1 - d) * (dy - mu0) / (1 - p1)
    if est_method == "dr":
        att, inf, _, _ = dr_att_if(dy, d, X, trim_level=TRIM_LEVEL)
    elif est_method == "ipw":
        att, inf, _, _ = ipw_att_if(dy, d, X, trim_level=TRIM_LEVEL)
    else:
        att, inf = reg_att_if(dy, d, X)
    return float(att), inf


def _normalised(w: np.ndarray, values: np.ndarray) -> np.ndarray:
    return w * values / np.mean(w)


def rc_att_if(y: np.ndarray, post: np.ndarray, d: np.ndarray, X: np.ndarray | None,
              est_method: EstMethod = "dr") -> tuple[float, np.ndarray]:
    """ATT and influence function of a 2×2 DiD on stacked observations.

    Observations of the base (``post`` 0) and later period (``post`` 1); one influence value
    per observation.
    """
    n = len(y)
    if X is None:
        X = np.ones((n, 1))
    post = post.astype(float)
    d = d.astype(float)
    if est_method == "reg":
        return _reg_rc(y, post, d, X)
    ps, lin_ps = logit_pscore(d, X)
    ps = np.clip(ps, 1e-6, 1 - 1e-6)
    keep = np.where(d == 1, 1.0, (ps < TRIM_LEVEL).astype(float))
    w_treat_pre, w_treat_post = keep * d * (1 - post), keep * d * post
    odds = keep * ps * (1 - d) / (1 - ps)
    w_cont_pre, w_cont_post = odds * (1 - post), odds * post
    if est_method == "ipw":
        parts = [(w, np.mean(_normalised(w, y))) for w in
                 (w_treat_post, w_treat_pre, w_cont_post, w_cont_pre)]
        att = parts[0][1] - parts[1][1] - (parts[2][1] - parts[3][1])
        inf = [_normalised(w, y) - _normalised(w, np.full(n, m)) for w, m in parts]
        moments = [np.mean((w * (y - m))[:, None] * X, axis=0) / np.mean(w)
                   for w, m in parts[2:]]
        inf_cont = inf[2] - inf[3] + lin_ps @ (moments[0] - moments[1])
        return float(att), inf[0] - inf[1] - inf_cont
    return _dr_rc(y, post, d, X, lin_ps, keep,
                  (w_treat_pre, w_treat_post, w_cont_pre, w_cont_post))


def _reg_rc(y, post, d, X) -> tuple[float, np.ndarray]:
    """DRDID ``reg_did_rc``: control-group regressions in each period."""
    out_pre, lin_pre = _ols_rep(y, X, (d == 0) & (post == 0))
    out_post, lin_post = _ols_rep(y, X, (d == 0) & (post == 1))
    w_treat_pre, w_treat_post, w_cont = d * (1 - post), d * post, d
    eta_treat_pre = np.mean(w_treat_pre * y) / np.mean(w_treat_pre)
    eta_treat_post = np.mean(w_treat_post * y) / np.mean(w_treat_post)
    cont = w_cont * (out_post - out_pre)
    eta_cont = np.mean(cont) / np.mean(w_cont)
    inf_treat = ((w_treat_post * y - w_treat_post * eta_treat_post) / np.mean(w_treat_post)
                 - (w_treat_pre * y - w_treat_pre * eta_treat_pre) / np.mean(w_treat_pre))
    derivative = np.mean(w_cont[:, None] * X, axis=0)
    inf_cont = (cont - w_cont * eta_cont + lin_post @ derivative - lin_pre @ derivative) \
        / np.mean(w_cont)
    return float(eta_treat_post - eta_treat_pre - eta_cont), inf_treat - inf_cont


def _dr_rc(y, post, d, X, lin_ps, keep, weights) -> tuple[float, np.ndarray]:
    """DRDID ``drdid_rc``: the locally efficient doubly robust estimator."""
    w_treat_pre, w_treat_post, w_cont_pre, w_cont_post = weights
    out_c_pre, lin_c_pre = _ols_rep(y, X, (d == 0) & (post == 0))
    out_c_post, lin_c_post = _ols_rep(y, X, (d == 0) & (post == 1))
    out_t_pre, lin_t_pre = _ols_rep(y, X, (d == 1) & (post == 0))
    out_t_post, lin_t_post = _ols_rep(y, X, (d == 1) & (post == 1))
    out_cont = post * out_c_post + (1 - post) * out_c_pre
    w_d, w_dt1, w_dt0 = keep * d, keep * d * post, keep * d * (1 - post)
    resid = y - out_cont
    eta = {"tpre": _normalised(w_treat_pre, resid), "tpost": _normalised(w_treat_post, resid),
           "cpre": _normalised(w_cont_pre, resid), "cpost": _normalised(w_cont_post, resid),
           "dpost": _normalised(w_d, out_t_post - out_c_post),
           "dt1": _normalised(w_dt1, out_t_post - out_c_post),
           "dpre": _normalised(w_d, out_t_pre - out_c_pre),
           "dt0": _normalised(w_dt0, out_t_pre - out_c_pre)}
    att_part = {k: float(np.mean(v)) for k, v in eta.items()}
    att = ((att_part["tpost"] - att_part["tpre"]) - (att_part["cpost"] - att_part["cpre"])
           + (att_part["dpost"] - att_part["dt1"]) - (att_part["dpre"] - att_part["dt0"]))

    def centred(key, w):
        return eta[key] - w * att_part[key] / np.mean(w)

    def moment(w, values):
        return np.mean((w * values)[:, None] * X, axis=0) / np.mean(w)

    inf_treat = (centred("tpost", w_treat_post) - centred("tpre", w_treat_pre)
                 + lin_c_post @ -moment(w_treat_post, post)
                 + lin_c_pre @ -moment(w_treat_pre, 1 - post))
    inf_cont_ps = lin_ps @ (moment(w_cont_post, resid - att_part["cpost"])
                            - moment(w_cont_pre, resid - att_part["cpre"]))
    inf_cont = (centred("cpost", w_cont_post) - centred("cpre", w_cont_pre) + inf_cont_ps
                + lin_c_post @ -moment(w_cont_post, post)
                + lin_c_pre @ -moment(w_cont_pre, 1 - post))
    inf_eff = ((centred("dpost", w_d) - centred("dt1", w_dt1))
               - (centred("dpre", w_d) - centred("dt0", w_dt0)))
    mom_post = np.mean((w_d / np.mean(w_d) - w_dt1 / np.mean(w_dt1))[:, None] * X, axis=0)
    mom_pre = np.mean((w_d / np.mean(w_d) - w_dt0 / np.mean(w_dt0))[:, None] * X, axis=0)
    inf_or = (lin_t_post - lin_c_post) @ mom_post - (lin_t_pre - lin_c_pre) @ mom_pre
    return float(att), inf_treat - inf_cont + inf_eff + inf_or


__all__ = ["EST_METHODS", "EstMethod", "panel_att_if", "rc_att_if", "reg_att_if"]
