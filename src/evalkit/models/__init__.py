"""Estimators on statsmodels, their results with ``tidy()``, and figures of estimates.

OLS/FE with a small vcov vocabulary, event study, staggered DiD, propensity methods,
ordered outcomes, power and multiple testing.

Submodules: ``ols`` (fit_ols, the result type, etable), ``panel`` (demeaning, twfe,
event_study, plot_event_time), ``did`` (staggered_did; its result, 2×2 estimators and
bootstrap in ``did_result``, ``did_twobytwo``, ``did_inference``), ``propensity`` (att_ipw,
att_aipw, balance), ``ordered`` (ordered logit), ``power`` (MDE, ICC), ``multitest`` (Holm/BH),
``plots`` (coefficient plots, event-time and subgroup comparisons, estimates against a
benchmark, balance and overlap).

This package holds estimators only and imports no study code: the study of notebook 04 is
:mod:`evalkit.effects`, the comparison with a simulated truth :mod:`evalkit.truth`.

Examples
--------
>>> from evalkit.models import fit_ols, twfe, staggered_did, att_aipw

"""

from evalkit.models.did import DidDataWarning, StaggeredDidResult, staggered_did
from evalkit.models.multitest import adjust_pvalues
from evalkit.models.ols import TIDY_COLUMNS, RegressionResult, etable, fit_ols
from evalkit.models.ordered import fit_ordered_logit
from evalkit.models.panel import (
    ConvergenceWarning,
    EventStudyResult,
    demean,
    event_study,
    plot_event_time,
    twfe,
)
from evalkit.models.plots import (
    coefficient_plot,
    plot_balance_overlap,
    plot_estimates_with_benchmark,
    plot_event_comparison,
    plot_subgroup_effects,
)
from evalkit.models.power import (
    did_mde,
    did_power_simulation,
    did_scenarios,
    did_variance_components,
    icc_oneway,
    mde_from_se,
    mde_ikm,
    mde_scenarios,
    pooled_within_sd,
    respondent_ikm,
)
from evalkit.models.propensity import (
    ATTResult,
    PropensityScoreError,
    att_aipw,
    att_ipw,
    balance,
    influence_se,
)

__all__ = [
    # estimators
    "adjust_pvalues", "att_aipw", "att_ipw", "balance", "demean", "did_mde",
    "did_power_simulation", "did_scenarios", "did_variance_components", "etable", "event_study",
    "fit_ols", "fit_ordered_logit", "icc_oneway", "influence_se", "mde_from_se", "mde_ikm",
    "mde_scenarios", "pooled_within_sd", "respondent_ikm", "staggered_did", "twfe",
    # result types and constants
    "ATTResult", "EventStudyResult", "RegressionResult", "StaggeredDidResult", "TIDY_COLUMNS",
    # warnings
    "ConvergenceWarning", "DidDataWarning", "PropensityScoreError",
    # figures of estimates
    "coefficient_plot", "plot_balance_overlap", "plot_estimates_with_benchmark",
    "plot_event_comparison", "plot_event_time", "plot_subgroup_effects",
]
