"""Regressions on statsmodels: OLS/FE with a small vcov vocabulary, event study, staggered DiD,
propensity methods, ordered outcomes, power and multiple testing; results with ``tidy()``.

Submodules: ``ols`` (fit_ols, the result type, etable), ``panel`` (demeaning, twfe,
event_study), ``did`` (staggered_did), ``propensity`` (att_ipw, att_aipw, balance),
``ordered`` (ordered logit), ``power`` (MDE, ICC), ``multitest`` (Holm/BH), ``effects``
(the estimator comparison of notebook 04, its subgroups and tables, the simulated truth),
``plots`` (notebook 04's figures: coefficient plots with CIs and the truth).

Examples
--------
>>> from evalkit.models import fit_ols, twfe, staggered_did, att_aipw
"""

from evalkit.models.did import DidDataWarning, StaggeredDidResult, staggered_did
from evalkit.models.effects import (
    EFFECTS_COLUMNS,
    L3_DROP_REASONS,
    METHODS,
    PENDIDIKAN_ORDER,
    PERSON_COVARIATES,
    SKP_DROP_REASONS,
    attach_truth,
    cells_with_both_groups,
    combine_effects,
    compare_estimators,
    difficulty_groups,
    dropped_table,
    element_effects,
    estimates_by_method,
    event_time_table,
    heterogeneity_table,
    individual_effects,
    l3_by_difficulty,
    l3_effects_table,
    l3_training_sample,
    median_split,
    mentoring_groups,
    naive_difference,
    naive_effects,
    rollout_indicator,
    rollout_table,
    skp_effects_table,
    skp_training_sample,
    subgroup_units,
    true_event_path,
    truth_comparison,
    truth_effects,
    unit_subgroup_effects,
    varying_columns,
)
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
    plot_event_comparison,
    plot_rollout,
    plot_subgroup_effects,
)
from evalkit.models.power import icc_oneway, mde_ikm, mde_scenarios, respondent_ikm
from evalkit.models.propensity import ATTResult, att_aipw, att_ipw, balance, influence_se

__all__ = [
    "ATTResult", "ConvergenceWarning", "DidDataWarning", "EFFECTS_COLUMNS", "EventStudyResult",
    "PERSON_COVARIATES", "l3_training_sample", "skp_training_sample",
    "RegressionResult", "StaggeredDidResult", "TIDY_COLUMNS", "adjust_pvalues", "att_aipw",
    "att_ipw", "balance", "demean", "etable", "event_study", "fit_ols", "fit_ordered_logit",
    "attach_truth", "compare_estimators", "icc_oneway", "mde_ikm", "naive_effects",
    "plot_event_time", "rollout_indicator", "staggered_did", "truth_effects", "twfe",
    "unit_subgroup_effects",
    "METHODS", "coefficient_plot", "combine_effects", "difficulty_groups", "element_effects",
    "estimates_by_method", "event_time_table", "heterogeneity_table", "individual_effects",
    "l3_by_difficulty", "l3_effects_table", "mde_scenarios", "median_split",
    "mentoring_groups", "naive_difference", "plot_event_comparison", "plot_rollout",
    "plot_subgroup_effects", "respondent_ikm", "rollout_table", "skp_effects_table",
    "subgroup_units", "true_event_path", "truth_comparison",
    "L3_DROP_REASONS", "PENDIDIKAN_ORDER", "SKP_DROP_REASONS", "cells_with_both_groups",
    "dropped_table", "influence_se", "varying_columns",
]
