"""The finding generator: verdicts follow the interval, sentences follow the verdict (issue 14).

Expected verdicts come from the rule itself, applied by hand to each interval: a direction only
when the 95% CI excludes zero.
"""

import numpy as np
import pandas as pd
import pytest

from evalkit.findings import (
    FINDINGS_COLUMNS,
    against_truth,
    association_finding,
    difference_finding,
    effect_finding,
    findings_table,
    robustness_finding,
    verdict_of,
)


@pytest.mark.parametrize(("low", "high", "expected"), [
    (0.1, 2.0, "positive"), (-2.0, -0.1, "negative"), (-0.5, 0.5, "inconclusive"),
    (0.0, 1.0, "inconclusive"), (-1.0, 0.0, "inconclusive"), (np.nan, 1.0, "inconclusive"),
])
def test_verdict_follows_the_interval(low, high, expected):
    assert verdict_of(low, high) == expected


def test_verdict_is_vectorised():
    low, high = pd.Series([0.1, -3.0, -1.0]), pd.Series([0.9, -1.0, 1.0])
    assert verdict_of(low, high).tolist() == ["positive", "negative", "inconclusive"]


def test_interval_covering_zero_states_no_direction():
    f = effect_finding("effect_ikm", "ikm", 0.93, -0.40, 2.26, method="cs_did")
    assert f.verdict == "inconclusive"
    for text in (f.sentence_en, f.sentence_id):
        assert "0" in text
    assert "cannot tell" in f.sentence_en and "belum dapat membedakan" in f.sentence_id
    assert "improv" not in f.sentence_en and "worse" not in f.sentence_en


def test_interval_excluding_zero_states_the_direction_in_service_terms():
    ikm = effect_finding("effect_ikm", "ikm", 2.37, 1.26, 3.48)
    assert ikm.verdict == "positive" and "rose by 2.37, an improvement" in ikm.sentence_en
    # complaints falling is better service; rising is worse
    fewer = effect_finding("effect_complaints", "complaints_per_1000", -1.5, -2.5, -0.5)
    more = effect_finding("effect_complaints", "complaints_per_1000", 1.5, 0.5, 2.5)
    assert fewer.verdict == "negative" and "fell by 1.50, an improvement" in fewer.sentence_en
    assert more.verdict == "positive" and "rose by 1.50, a deterioration" in more.sentence_en
    assert "turun 1,50, sebuah perbaikan" in fewer.sentence_id


def test_reversed_difference_reverses_the_sentence():
    groups = ("difficulty_low", "difficulty_high")
    low_minus_high = difference_finding("difference_difficulty", "ikm", 2.16, 0.47, 3.85,
                                        groups=groups)
    high_minus_low = difference_finding("difference_difficulty", "ikm", -2.16, -3.85, -0.47,
                                        groups=groups)
    assert low_minus_high.verdict == "positive" and "improved IKM more" in low_minus_high.sentence_en
    assert high_minus_low.verdict == "negative" and "improved IKM less" in high_minus_low.sentence_en


def test_difference_covering_zero_cannot_tell_the_groups_apart():
    f = difference_finding("difference_mentoring", "ikm", 0.50, -1.28, 2.28,
                           groups=("mentoring_with", "mentoring_without"))
    assert f.verdict == "inconclusive"
    assert f.sentence_en.startswith("The data cannot tell the effect on IKM in units where "
                                    "mentoring followed the course")


def test_findings_table_has_the_documented_columns():
    table = findings_table([effect_finding("effect_ikm", "ikm", 1.0, 0.5, 1.5),
                            difference_finding("difference_mentoring", "ikm", 0.2, -1, 1.4,
                                               groups=("mentoring_with", "mentoring_without"))])
    assert list(table.columns) == FINDINGS_COLUMNS
    assert table["verdict"].tolist() == ["positive", "inconclusive"]
    assert findings_table([]).columns.tolist() == FINDINGS_COLUMNS


def test_the_truth_is_set_against_the_interval_in_both_languages():
    f = effect_finding("effect_ikm", "ikm", 2.37, 1.26, 3.48)
    inside, above, below = (against_truth(f, t) for t in (2.60, 3.60, 1.00))
    assert "inside" in inside.truth_sentence_en and "2.60" in inside.truth_sentence_en
    assert "di dalam" in inside.truth_sentence_id and "2,60" in inside.truth_sentence_id
    assert "above" in above.truth_sentence_en and "below" in below.truth_sentence_en
    assert against_truth(f, None) is f and against_truth(f, np.nan) is f
    assert findings_table([inside])["truth"].tolist() == [2.60]


def test_robustness_holds_only_when_every_specification_gives_the_headline_verdict():
    specs = pd.DataFrame({"specification_id": ["ambang 15%", "ambang 40%"],
                          "specification_en": ["threshold 15%", "threshold 40%"],
                          "estimate": [2.0, 2.5], "ci_low": [0.9, 1.1], "ci_high": [3.1, 3.9]})
    holds = robustness_finding("robustness", "ikm", "positive", specs)
    assert holds.verdict == "positive" and "holds under all 2" in holds.sentence_en
    assert "2.00 to 2.50" in holds.sentence_en
    one_fails = specs.assign(ci_low=[0.9, -0.1])
    fails = robustness_finding("robustness", "ikm", "positive", one_fails)
    assert fails.verdict == "inconclusive"
    assert "threshold 40% (not told apart from zero)" in fails.sentence_en
    assert "threshold 15%" not in fails.sentence_en
    # a headline that says nothing stays "cannot tell" even when all agree
    none = robustness_finding("robustness", "ikm", "inconclusive",
                              specs.assign(ci_low=[-1.0, -1.0]))
    assert none.verdict == "inconclusive" and "not told apart from zero" in none.sentence_en


def test_individual_sentences_state_a_difference_between_people_not_an_effect():
    skp = association_finding("individual_skp", "skp_predikat", 0.052, 0.011, 0.093,
                              method="aipw", subject="finding_subject_skp_good_or_better",
                              comparison="finding_comparison_colleagues_same_unit_year",
                              note="skp_within", digits=3)
    assert skp.verdict == "positive"
    assert skp.sentence_en.startswith("The share of staff rated Baik or better is higher among "
                                      "those who completed the course than among untrained "
                                      "colleagues in the same unit and year: difference 0.052")
    assert "interference" in skp.sentence_en and "interferensi" in skp.sentence_id
    assert "no effect" in skp.sentence_en and "After the training" not in skp.sentence_en
    lower = association_finding("individual_l3", "l3_application", -0.3, -0.5, -0.1,
                                subject="finding_subject_l3_application",
                                comparison="finding_comparison_other_courses")
    assert lower.verdict == "negative" and " is lower among " in lower.sentence_en
    unclear = association_finding("individual_l3", "l3_application", 0.1, -0.1, 0.3,
                                  subject="finding_subject_l3_application",
                                  comparison="finding_comparison_other_courses",
                                  note="l3_other_courses")
    assert unclear.verdict == "inconclusive"
    assert unclear.sentence_en.startswith("The data cannot tell the application score")
    assert "from that of alumni of other courses" in unclear.sentence_en
