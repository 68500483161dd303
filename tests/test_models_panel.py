"""twfe, demean and event_study against pyfixest (pyfixest's defaults: singletons dropped
repeatedly, fixed effects nested in the clusters not counted in the small-sample factor, t
with G − 1 df). R fixest keeps singletons by default (fixef.rm = "perfect")."""

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest

from evalkit.models import TIDY_COLUMNS, demean, event_study, twfe


def simulated_panel(n_units=80, n_periods=10, seed=5, keep=1.0):
    rng = np.random.default_rng(seed)
    panel = pd.DataFrame({"unit": np.repeat(np.arange(n_units), n_periods),
                          "time": np.tile(np.arange(1, n_periods + 1), n_units)})
    alpha = rng.normal(size=n_units)[panel["unit"]]
    gamma = rng.normal(size=n_periods + 1)[panel["time"]]
    panel["x"] = rng.normal(size=len(panel)) + alpha + gamma
    panel["z"] = rng.normal(size=len(panel))
    panel["y"] = (0.4 * panel["x"] - 0.3 * panel["z"] + alpha + gamma
                  + rng.normal(size=len(panel)) * (1 + 0.5 * np.abs(alpha)))
    if keep < 1:
        panel = panel.sample(frac=keep, random_state=seed).sort_index()
    return panel


@pytest.mark.parametrize("keep", [1.0, 0.65], ids=["balanced", "unbalanced"])
@pytest.mark.parametrize("cluster", ["unit", "time"])
def test_twfe_equals_pyfixest(keep, cluster):
    # Reference: pyfixest.feols("y ~ x + z | unit + time", vcov={"CRV1": cluster}).
    panel = simulated_panel(keep=keep)
    ours = twfe(panel, "y", "x", "unit", "time", controls=["z"], cluster=cluster).tidy()
    ref = pf.feols("y ~ x + z | unit + time", data=panel, vcov={"CRV1": cluster}).tidy()
    np.testing.assert_allclose(ours["Estimate"], ref["Estimate"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours["Std. Error"], ref["Std. Error"], rtol=0.01)
    np.testing.assert_allclose(ours[TIDY_COLUMNS].to_numpy(), ref[TIDY_COLUMNS].to_numpy(),
                               rtol=1e-6, atol=1e-12)


def test_twfe_drops_singletons_like_pyfixest():
    panel = simulated_panel(n_units=40, n_periods=6)
    # Three units observed once: singletons in the unit dimension.
    lonely = panel.groupby("unit").head(1).head(3).assign(unit=lambda d: d["unit"] + 1000)
    panel = pd.concat([panel, lonely], ignore_index=True)
    ours = twfe(panel, "y", "x", "unit", "time")
    ref = pf.feols("y ~ x | unit + time", data=panel, vcov={"CRV1": "unit"})
    assert ours.extra["dropped (singletons)"] == 3
    assert ours.nobs == ref._N
    np.testing.assert_allclose(ours.coef().to_numpy(), ref.coef().to_numpy(), atol=1e-8)
    np.testing.assert_allclose(ours.se().to_numpy(), ref.se().to_numpy(), rtol=1e-6)


def test_demean_equals_pyfixest_demean_on_unbalanced_panel():
    from pyfixest.estimation import demean as pf_demean

    panel = simulated_panel(keep=0.6, seed=9)
    codes = [pd.factorize(panel["unit"])[0], pd.factorize(panel["time"])[0]]
    values = panel[["y", "x"]].to_numpy()
    ours = demean(values, codes)
    flist = np.column_stack(codes).astype(np.uintp)
    ref, converged = pf_demean(values, flist, np.ones(len(panel)), tol=1e-12)
    assert converged
    np.testing.assert_allclose(ours, ref, atol=1e-8)
    # Residuals have zero mean in every unit and every period.
    for c in codes:
        assert np.abs(pd.DataFrame(ours).groupby(c).mean().to_numpy()).max() < 1e-9


def test_twfe_names_missing_columns():
    with pytest.raises(KeyError, match="share_trained"):
        twfe(simulated_panel(), "y", "share_trained", "unit", "time")


def test_event_study_equals_pyfixest_with_explicit_dummies():
    rng = np.random.default_rng(2)
    panel = simulated_panel(n_units=60, n_periods=10, seed=2)
    cohort = pd.Series(rng.choice([0, 4, 6, 8], 60))
    panel["g"] = cohort.to_numpy()[panel["unit"]]
    post = (panel["g"] > 0) & (panel["time"] >= panel["g"])
    panel["y"] = panel["y"] + 1.0 * post
    es = event_study(panel, "y", "unit", "time", "g", window=(-3, 2), reference=-1)
    # Reference: the same binned relative-time dummies built by hand, fitted by pyfixest.
    rel = (panel["time"] - panel["g"]).clip(-3, 2).where(panel["g"] > 0)
    names = []
    for e in [-3, -2, 0, 1, 2]:
        name = f"d{e + 10}"
        panel[name] = (rel == e).astype(float)
        names.append(name)
    ref = pf.feols(f"y ~ {' + '.join(names)} | unit + time", data=panel,
                   vcov={"CRV1": "unit"}).tidy()
    table = es.tidy().set_index("event_time")
    np.testing.assert_allclose(table.loc[[-3, -2, 0, 1, 2], "estimate"], ref["Estimate"],
                               atol=1e-8)
    np.testing.assert_allclose(table.loc[[-3, -2, 0, 1, 2], "se"], ref["Std. Error"],
                               rtol=1e-6)
    assert table.loc[-1, "estimate"] == 0.0
    # The simulated effect is 1 after the roll-out and 0 before.
    assert np.all(np.abs(table.loc[[0, 1, 2], "estimate"] - 1.0) < 0.5)


def test_event_study_plot_returns_axes():
    import matplotlib

    matplotlib.use("Agg")
    panel = simulated_panel(n_units=30, n_periods=8)
    panel["g"] = np.where(panel["unit"] % 2 == 0, 5, 0)
    ax = event_study(panel, "y", "unit", "time", "g", window=(-2, 2)).plot()
    assert len(ax.lines) >= 1


def test_exact_twoway_equals_alternating_projections_even_when_disconnected():
    from evalkit.models.panel import demean_twoway

    panel = simulated_panel(n_units=50, n_periods=12, keep=0.5, seed=4)
    # Two disconnected blocks: units 0-24 only in periods 1-6, units 25-49 only in 7-12.
    block = ((panel["unit"] < 25) == (panel["time"] <= 6))
    panel = panel[block]
    codes = [pd.factorize(panel["unit"])[0], pd.factorize(panel["time"])[0]]
    values = panel[["y", "x"]].to_numpy()
    np.testing.assert_allclose(demean_twoway(values, codes[0], codes[1]),
                               demean(values, codes), atol=1e-8)
    # Fewer units than periods: the roles of the two factors swap.
    np.testing.assert_allclose(demean_twoway(values, codes[1], codes[0]),
                               demean(values, codes), atol=1e-8)


def test_twfe_alternating_projection_path_equals_pyfixest(monkeypatch):
    import evalkit.models.panel as panel_module

    # Force the general path used when both factors have many levels.
    monkeypatch.setattr(panel_module, "TWOWAY_EXACT_MAX_LEVELS", 0)
    panel = simulated_panel(keep=0.7, seed=8)
    ours = twfe(panel, "y", "x", "unit", "time", controls=["z"])
    ref = pf.feols("y ~ x + z | unit + time", data=panel, vcov={"CRV1": "unit"})
    np.testing.assert_allclose(ours.coef().to_numpy(), ref.coef().to_numpy(), atol=1e-8)
    np.testing.assert_allclose(ours.se().to_numpy(), ref.se().to_numpy(), rtol=1e-6)


def test_clustered_intervals_use_t_with_clusters_minus_one():
    # 80 units → t(0.975, 79) = 1.990450 (t table), not 1.96; equal to pyfixest's interval.
    panel = simulated_panel()
    ours = twfe(panel, "y", "x", "unit", "time")
    assert ours.df_t == ours.df_resid == 79
    assert ours.critical_value() == pytest.approx(1.990450, abs=1e-6)
    ci = ours.conf_int().loc["x"]
    se = float(ours.se()["x"])
    assert ci["ci_high"] - ci["ci_low"] == pytest.approx(2 * 1.990450 * se, rel=1e-6)
    ref = pf.feols("y ~ x | unit + time", data=panel, vcov={"CRV1": "unit"}).tidy()
    assert ci.tolist() == pytest.approx(ref.loc["x", ["2.5%", "97.5%"]].tolist(), rel=1e-6)
