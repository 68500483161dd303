"""The study of notebook 04: does training improve public service.

Submodules, by concern:

- ``codes``: the ``effects`` table's columns and its stable method and estimand codes;
- ``samples``: the SKP and level-3 person samples, person covariates, drop reasons;
- ``subgroups``: reached units split by reported difficulty and by mentoring;
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
from evalkit.effects.figures import (
    SUBGROUP_FIGURE_ORDER,
    effects_by_method_figure,
    event_comparison_figure,
    subgroup_figure,
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
    # codes
    "ATT", "EFFECTS_COLUMNS", "METHODS", "METHOD_CODES", "SKP_ESTIMANDS", "effect_row",
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
    # display
    "SUBGROUP_FIGURE_ORDER", "effects_by_method_figure", "estimates_by_method",
    "event_comparison_figure", "event_time_table", "heterogeneity_table", "l3_by_difficulty",
    "l3_effects_table", "outcome_labels", "rollout_table", "skp_effects_table",
    "subgroup_figure", "with_labels",
]
