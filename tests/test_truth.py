"""The simulated truth beside the estimates (evalkit.truth): attached by outcome and
estimand code, placebo periods at zero, and the closing comparison of notebook 04.
Expected values are worked out by hand from the small frames (comments say how)."""

import numpy as np
import pandas as pd
import pytest
from quarantine_fixture import quarantine_sample

from evalkit.config import RAW_DIR, load_truth
from evalkit.effects import (
    SUBGROUPS,
    combine_effects,
    event_time_estimand,
    event_time_of,
    subgroup_estimand,
)
from evalkit.labels import has_label, label
from evalkit.truth import (
    KEPT,
    QUARANTINED,
    attach_truth,
    fault_comparison,
    transfer_vs_truth,
    true_event_path,
    truth_comparison,
    truth_effects,
    with_truth,
)


def test_truth_is_attached_by_outcome_and_estimand():
    truth = {"att": {"y": {"overall": 2.5, "by_event_time": {"0": 1.0, "1": 2.0}}},
             "heterogeneity": {"y": {"strong": 4.0}},
             "individual_effects": {"l3_application": {"att": 0.57}}}
    table = truth_effects(truth)
    assert set(table["estimand"]) == {"att", "att_e0", "att_e1", "att_strong"}
    assert table.set_index(["outcome", "estimand"]).loc[("l3_application", "att"),
                                                         "truth"] == 0.57
    effects = pd.DataFrame({"outcome": ["y", "y", "y", "z"], "method": "m",
                            "estimand": ["att", "att_e-2", "att_e1", "att"],
                            "estimate": 1.0, "se": 0.1, "ci_low": 0.8, "ci_high": 1.2,
                            "truth": np.nan})
    out = attach_truth(effects, table)
    assert out["truth"].tolist()[:3] == [2.5, 0.0, 2.0]  # placebo e < 0: true effect 0
    assert np.isnan(out["truth"].iloc[3])  # outcome without truth stays unknown
    assert with_truth(effects, None) is effects  # real data: nothing attached
    assert with_truth(effects, truth)["truth"].tolist()[:3] == [2.5, 0.0, 2.0]


def test_true_event_path_reads_the_truth_file():
    truth = {"att": {"ikm": {"by_event_time": {"0": 1.1, "-1": 0.0, "2": 3.0}}}}
    assert true_event_path(truth, "ikm") == {0: 1.1, -1: 0.0, 2: 3.0}
    assert true_event_path(truth, "other") == {}
    assert true_event_path(None, "ikm") == {}


def test_closing_table_checks_coverage_and_error():
    effects = pd.DataFrame({
        "outcome": ["ikm", "ikm", "ikm", "skp_predikat", "ikm"],
        "method": ["a", "b", "c", "aipw", "a"],
        "estimand": ["att", "att", "att", "att_predikat_score", "att_e0"],
        "estimate": [2.0, 4.0, 2.2, 0.2, 1.0], "se": [0.5, 0.5, np.nan, 0.01, 0.5],
        "ci_low": [1.0, 3.0, np.nan, 0.18, 0.0], "ci_high": [3.0, 5.0, np.nan, 0.22, 2.0],
        "truth": np.nan})
    table = with_truth(combine_effects(effects), {"att": {"ikm": {"overall": 2.5}}})
    out = truth_comparison(table)
    # event-time row dropped; SKP row kept (other scale, truth unknown)
    assert out["method"].tolist() == ["a", "b", "c", "aipw"]
    assert out["estimand"].tolist() == ["att"] * 3 + ["att_predikat_score"]
    assert out["error"].tolist()[:3] == pytest.approx([-0.5, 1.5, -0.3])
    # [1, 3] covers 2.5; [3, 5] does not; no interval or no truth → unknown
    assert out["covers_truth"].tolist()[:2] == [True, False]
    assert out["covers_truth"].isna().tolist() == [False, False, True, True]
    shown = truth_comparison(table, lang="en")
    assert shown["method"].iloc[3] == label("method_aipw", "en")
    assert shown["outcome"].iloc[3] == label("outcome_skp_predikat", "en")
    assert shown["estimand"].iloc[3] == label("estimand_att_predikat_score", "en")


def test_the_bundled_truth_uses_the_estimand_codes_of_the_study():
    # The simulator's truth.json of the bundled city: overall, event-time and subgroup
    # effects of each outcome, all under labelled estimand codes.
    table = truth_effects(load_truth(RAW_DIR))
    ikm = set(table.loc[table["outcome"] == "ikm", "estimand"])
    assert {"att", event_time_estimand(0), *map(subgroup_estimand, SUBGROUPS)} <= ikm
    # notebook 04 reports event times -4…4 (compare_estimators' default window)
    in_window = event_time_of(table["estimand"]).between(-4, 4).fillna(True).astype(bool)
    assert [e for e in table.loc[in_window, "estimand"].unique()
            if not has_label(f"estimand_{e}")] == []
    assert table["truth"].notna().all()


def test_fault_comparison_injected_against_quarantined():
    truth = {"simulated": True, "faults": {
        "skm": {"answer_out_of_range": 2, "answer_blank": 5, "duplicate_response": 1},
        "skp": {"nip_float": 1, "nip_spaces": 4}}}
    out = fault_comparison(quarantine_sample(), truth)
    assert out[["table", "kind", "injected", "quarantined", "treatment"]].values.tolist() == [
        ["skm", "answer_blank", 5, 0, KEPT],
        ["skm", "answer_out_of_range", 2, 2, QUARANTINED],
        ["skm", "duplicate_response", 1, 1, QUARANTINED],
        ["skp", "nip_float", 1, 1, QUARANTINED],
        ["skp", "nip_spaces", 4, 0, KEPT]]
    # a kind the export has but the simulator never injected shows with injected 0
    sample = quarantine_sample()
    extra = pd.concat([sample, sample.iloc[:1].assign(kind="unit_unknown")])
    row = fault_comparison(extra, truth).query("kind == 'unit_unknown'").iloc[0]
    assert (row["injected"], row["quarantined"], row["treatment"]) == (0, 1, QUARANTINED)
    with pytest.raises(ValueError, match="faults"):
        fault_comparison(quarantine_sample(), {"simulated": True})


def test_transfer_vs_truth_counts_each_cell():
    transfer = pd.DataFrame({"unit": list("ABCDE"),
                             "transfer_lemah": [True, False, True, False, False]})
    truth = {"simulated": True, "unit_characteristics": {
        "A": {"high_difficulty": True}, "B": {"high_difficulty": True},
        "C": {"high_difficulty": False}, "D": {"high_difficulty": False}}}
    # E is not described by the simulator: counted as not built difficult.
    table = transfer_vs_truth(transfer, truth)
    assert table.loc[True, True] == 1 and table.loc[True, False] == 1
    assert table.loc[False, True] == 1 and table.loc[False, False] == 2
