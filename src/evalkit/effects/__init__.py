"""The study of notebook 04: does training improve public service.

Submodules, by concern:

- ``codes``: the ``effects`` table's columns and its stable method and estimand codes;
- ``samples``: the SKP and level-3 person samples, person covariates, drop reasons;
- ``subgroups``: reached units split by reported difficulty and by mentoring;
- ``coverage``: the units and observations each estimate used and left out (and why);
- ``differences``: subgroup effects and the interval of their difference (joint influence);
- ``robustness``: the headline at other cohort thresholds and with anticipation;
- ``conclusions``: the findings of notebook 04, generated from the estimates;
- ``compare``: naive contrasts, TWFE, event study and staggered DiD side by side, by
  subgroup and by SKM element, and the individual-level estimates;
- ``tables`` and ``figures``: what the notebook displays, labelled in the report language.

The estimators themselves are :mod:`evalkit.models`; the comparison with a simulated truth
is :mod:`evalkit.truth`.

Examples
--------
>>> from evalkit.effects import METHODS, compare_estimators, skp_training_sample
>>> METHODS
('naive_before_after', 'naive_trained_untrained', 'twfe', 'cs_did')

"""

from evalkit.effects.codes import (
    ATT,
    EFFECTS_COLUMNS,
    METHOD_CODES,
    METHODS,
    SAMPLE_COLUMNS,
    SKP_ESTIMANDS,
    effect_row,
    event_time_estimand,
    event_time_of,
    sort_effects,
    subgroup_estimand,
)
from evalkit.effects.compare import (
    combine_effects,
    compare_estimators,
    element_effects,
    individual_effects,
    naive_difference,
    naive_effects,
    rollout_indicator,
    twfe_by_outcome,
    unit_subgroup_effects,
)
from evalkit.effects.conclusions import (
    INDIVIDUAL_FINDINGS,
    difference_findings,
    effect_findings,
    individual_findings,
    left_out_sentences,
    placebo_sentence,
    study_findings,
)
from evalkit.effects.coverage import (
    LEFT_OUT_REASONS,
    did_sample,
    did_units_used,
    left_out_reason,
    panel_is_balanced,
    regression_sample,
    sample_columns,
)
from evalkit.effects.design import POWER_ROUTES, next_round_power, power_sentences
from evalkit.effects.differences import (
    DIFFERENCE_COLUMNS,
    DIFFERENCES,
    difference_of_fits,
    simple_att_contributions,
    subgroup_difference,
    subgroup_differences,
    subgroup_fit,
    subgroup_fits,
)
from evalkit.effects.figures import (
    SUBGROUP_FIGURE_ORDER,
    effects_by_method_figure,
    event_comparison_figure,
    subgroup_figure,
)
from evalkit.effects.robustness import (
    ROBUSTNESS_COLUMNS,
    ROBUSTNESS_THRESHOLDS,
    headline_robustness,
    with_cohort_threshold,
)
from evalkit.effects.samples import (
    L3_DROP_REASONS,
    L3_OUTCOME_RATERS,
    PENDIDIKAN_ORDER,
    PERSON_COVARIATES,
    SKP_DROP_REASONS,
    cells_with_both_groups,
    dropped_table,
    l3_training_sample,
    person_covariates,
    skp_training_sample,
    varying_columns,
)
from evalkit.effects.subgroups import (
    SUBGROUPS,
    difficulty_groups,
    median_split,
    mentoring_groups,
    subgroup_units,
)
from evalkit.effects.tables import (
    estimates_by_method,
    event_time_table,
    heterogeneity_table,
    l3_by_difficulty,
    l3_effects_table,
    outcome_labels,
    rollout_table,
    skp_effects_table,
    with_labels,
)

__all__ = [
    "POWER_ROUTES", "next_round_power", "power_sentences",
    # codes
    "ATT", "EFFECTS_COLUMNS", "METHODS", "METHOD_CODES", "SAMPLE_COLUMNS", "SKP_ESTIMANDS",
    "effect_row",
    "event_time_estimand", "event_time_of", "sort_effects", "subgroup_estimand",
    # samples
    "L3_DROP_REASONS", "L3_OUTCOME_RATERS", "PENDIDIKAN_ORDER", "PERSON_COVARIATES",
    "SKP_DROP_REASONS", "cells_with_both_groups", "dropped_table", "l3_training_sample",
    "person_covariates", "skp_training_sample", "varying_columns",
    # subgroups
    "SUBGROUPS", "difficulty_groups", "median_split", "mentoring_groups", "subgroup_units",
    # comparisons
    "combine_effects", "compare_estimators", "element_effects", "individual_effects",
    "naive_difference", "naive_effects", "rollout_indicator", "twfe_by_outcome",
    "unit_subgroup_effects",
    # coverage, differences, robustness, findings
    "LEFT_OUT_REASONS", "did_sample", "did_units_used", "left_out_reason", "panel_is_balanced",
    "regression_sample", "sample_columns",
    "DIFFERENCES", "DIFFERENCE_COLUMNS", "difference_of_fits", "simple_att_contributions",
    "subgroup_difference", "subgroup_differences", "subgroup_fit", "subgroup_fits",
    "ROBUSTNESS_COLUMNS", "ROBUSTNESS_THRESHOLDS", "headline_robustness",
    "with_cohort_threshold",
    "INDIVIDUAL_FINDINGS", "difference_findings", "effect_findings", "individual_findings",
    "left_out_sentences", "placebo_sentence", "study_findings",
    # display
    "SUBGROUP_FIGURE_ORDER", "effects_by_method_figure", "estimates_by_method",
    "event_comparison_figure", "event_time_table", "heterogeneity_table", "l3_by_difficulty",
    "l3_effects_table", "outcome_labels", "rollout_table", "skp_effects_table",
    "subgroup_figure", "with_labels",
]
