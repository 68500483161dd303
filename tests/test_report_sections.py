"""Tests of the report's section functions (evalkit.report.sections), one per section.

The hand-made processed folder of tests/report_fixture.py flows through recommend_all and
report_tables as in notebook 06; its properties are known by construction: three units,
"Kecamatan C" too small to publish, "Dinas A" weak on u7 with 12 of its 20 alumni
struggling, the preferred effect (cs_did) 2.0 [1.0, 3.0] with a difficulty subgroup, and
notebook 04's findings: the headline established, low minus high difficulty 2.0 [0.8, 3.2]
established, with minus without mentoring 0.5 [-1.3, 2.3] not.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from report_fixture import write_fixture

from evalkit import labels, recommend
from evalkit.report import load_inputs, read_manifest, report_tables
from evalkit.report.sections import (
    Page,
    data_quality_section,
    effects_section,
    footer,
    ikm_section,
    interviews_section,
    mentoring_section,
    method_appendix,
    needs_section,
    priorities_section,
    published_mentoring_totals,
    transfer_section,
)
from evalkit.report.summary import summary_context


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    root = tmp_path_factory.mktemp("sections")
    processed = write_fixture(root / "data")
    inputs = load_inputs(processed)
    recs = recommend.recommend_all(inputs)
    published = report_tables(inputs, recs, manifest=read_manifest(processed), lang="en")
    return inputs, recs, published, processed, root


@pytest.fixture
def page(tmp_path):
    return Page(lang="en", folder="processed", output_dir=tmp_path)


def _rows(html) -> int:
    return len(re.findall(r"<tr>", str(html))) - 1  # minus the header row


def test_every_section_returns_every_key_even_when_inputs_are_missing(page):
    # An empty run: each section has all of its keys, and a note naming the notebook to run
    # (priorities, lacking two tables, names both).
    recs = recommend.recommend_all({})
    sections = {
        "ikm": ikm_section({}, page), "effects": effects_section({}, recs, page),
        "transfer": transfer_section({}, recs, page), "needs": needs_section({}, page),
        "priorities": priorities_section({}, recs, page),
        "mentoring": mentoring_section({}, recs, page),
    }
    notebooks = {"ikm": "02-service-satisfaction-ikm", "effects": "04-training-effects",
                 "transfer": "01-clean-raw-data", "needs": "01-clean-raw-data",
                 "priorities": "effects; panel_unit_period", "mentoring": "01-clean-raw-data"}
    for name, section in sections.items():
        assert notebooks[name] in section["missing"], name
        assert section["table"] is None, name
        assert section.get("findings", []) == [], name
    assert not list(page.output_dir.iterdir())  # no figure drawn for a missing section


def test_ikm_section_headline_and_suppressed_unit(computed, page):
    _, _, published, _, _ = computed
    out = ikm_section(published, page)
    city = published["ikm_kota"].iloc[0]
    assert out["findings"][0]["text"].startswith(
        f"City IKM in 2024Q4: {city['ikm']:.2f} (grade ")
    assert out["findings"][0]["verdict"] is None  # a description, not a verdict on an effect
    # Kecamatan C (3 answers) is suppressed: its grade is not counted among the units.
    grades = published["ikm_unit_terkini"]["mutu"].dropna()
    assert len(grades) == 2
    assert out["findings"][1]["text"].startswith("Unit service grades in 2024Q4: ")
    assert _rows(out["table"]) == 3 and out["missing"] is None
    assert out["figure"].startswith("data:image/png;base64,")
    assert (page.output_dir / "figures" / "summary_ikm_units.png").is_file()


def test_effects_section_states_the_findings_with_their_verdicts(computed, page):
    _, recs, published, _, _ = computed
    out = effects_section(published, recs, page, simulated=True)
    # The findings table's sentences, headline first, each with the verdict of its interval:
    # 2.0 [1.0, 3.0] above zero; mentoring 0.5 [-1.3, 2.3] covers zero; difficulty
    # 2.0 [0.8, 3.2] above zero.
    assert [f["verdict"] for f in out["findings"]] == ["positive", "inconclusive", "positive"]
    head, mentoring, difficulty = (f["text"] for f in out["findings"])
    assert head.startswith("After the training, IKM rose by 2.00, an improvement (")
    assert head.endswith("95% CI 1.00 – 3.00).")
    assert mentoring.startswith("The data cannot tell the effect on IKM in units where "
                                "mentoring followed the course from the effect in units "
                                "without mentoring: difference 0.50 (95% CI -1.30 – 2.30)")
    assert difficulty.startswith("The training improved IKM more in units whose alumni rarely")
    # Never two subgroup intervals side by side (1.0 [0.2, 1.8] against 3.0 [2.1, 3.9]).
    assert not any("0.20 – 1.80" in f["text"] for f in out["findings"])
    # Shown: every IKM row without event times (cs_did att, twfe att, two subgroups); the
    # other outcome (nrr_u7) only by cs_did's overall effect, which the fixture lacks.
    assert _rows(out["table"]) == 4
    assert out["show_truth"] and "True value" in out["table"]
    # Real data carry no true value.
    assert not effects_section(published, recs, page)["show_truth"]


def test_effects_section_without_findings_generates_the_headline_only(computed, page):
    # Notebook 04 without a findings table: the headline comes from the effects row by the
    # same rule; the subgroups (no interval of their difference) give no sentence.
    inputs, recs, _, _, _ = computed
    published = report_tables({**inputs, "findings": None}, recs, lang="en")
    out = effects_section(published, recs, page)
    assert [f["verdict"] for f in out["findings"]] == ["positive"]
    assert out["findings"][0]["text"].startswith("After the training, IKM rose by 2.00")
    # An interval covering zero: the sentence says the data cannot tell.
    effect = recs.effect.copy()
    effect["ci_low"] = -0.5
    covering = recommend.Recommendations(recs.settings, effect=effect)
    published = report_tables({**inputs, "findings": None}, covering, lang="en")
    item = effects_section(published, covering, page)["findings"][0]
    assert item["verdict"] == "inconclusive"
    assert item["text"].startswith("The data cannot tell the training’s effect on IKM from "
                                   "zero: 2.00 (")


def test_transfer_section_city_share_and_flagged_units(computed, page):
    _, recs, published, _, _ = computed
    out = transfer_section(published, recs, page)
    # Fixture: 13 of 35 alumni struggle (37%); A (20 answers) and B (12) are judged, C (3)
    # is not; only Dinas A's interval lies above it; chance flags 2 × 0.025 = 0.05.
    assert [f["text"] for f in out["findings"]] == [labels.label(
        "finding_transfer", "en", share="37%", n_units=1, n_judged=2, min_n=5, chance="0.1")]
    assert "in 1 the 95% Wilson interval" in out["findings"][0]["text"]
    assert _rows(out["table"]) == 1 and "Dinas A" in out["table"]
    assert "60%" in out["table"]  # 12 / 20


def test_interviews_section_themes_and_escaped_quotes(computed, page):
    _, _, published, _, _ = computed
    out = interviews_section(published, page)
    assert _rows(out["themes_table"]) == 3
    # Quotes of the "why" themes, labelled, in the order of WHY_THEMES.
    assert [theme for theme, _ in out["quotes"]] == [
        labels.code_label("tema", "kesulitan_penerapan", "en"),
        labels.code_label("tema", "dukungan_atasan", "en")]
    assert out["missing"] is None


def test_priorities_section_ranking_and_reason_when_missing(computed, page):
    _, recs, published, _, _ = computed
    out = priorities_section(published, recs, page)
    # The headline 2.0 [1.0, 3.0] is established: ranked by expected gain, with its figure.
    assert out["intro"] == labels.label("priorities_intro", "en", target="25%")
    assert _rows(out["table"]) == 3 and out["figure"].startswith("data:image/png")
    assert "Expected IKM gain" in out["table"]
    # Without the effects table the section names notebook 04.
    no_effects = recommend.Recommendations(recs.settings, missing={"priorities": ["effects"]})
    missing = priorities_section({}, no_effects, page)["missing"]
    assert missing.startswith("Priorities could not be computed: ")
    assert "04-training-effects" in missing
    # A reason that is not a table is shown as it is.
    odd = recommend.Recommendations(recs.settings, missing={"priorities": ["no outcome ikm"]})
    assert priorities_section({}, odd, page)["missing"].endswith("no outcome ikm")


def test_needs_section_top_needs_per_unit(computed, page):
    _, _, published, _, _ = computed
    needs = published["kebutuhan_pelatihan"]
    out = needs_section(published, page, needs_per_unit=1)
    assert _rows(out["table"]) == needs["unit"].nunique()
    assert out["note"] == labels.label("needs_top_note", "en", k=1)
    # Dinas A's u7 need shows its gap with the interval in one cell.
    row = needs[(needs["unit"] == "Dinas A") & (needs["unsur"] == "u7")].iloc[0]
    assert f"{row['selisih']:.2f} ({row['ci_low']:.2f}; {row['ci_high']:.2f})" in out["table"]


def test_mentoring_totals_hidden_when_they_reveal_a_unit(computed):
    _, recs, published, _, _ = computed
    # Fixture: 12 mentees in Dinas A, 1 in Dinas B (hidden): 13 − 12 would reveal B's 1.
    assert published_mentoring_totals(recs, published) == {"mentees": None, "pairs": None}
    shown = {"mentoring_ringkasan": published["mentoring_ringkasan"].assign(suppressed=False)}
    assert published_mentoring_totals(recs, shown) == {"mentees": 13, "pairs": 13}


def test_mentoring_section_rule_and_counts(computed, page):
    _, recs, published, _, _ = computed
    out = mentoring_section(published, recs, page)
    assert out["rule"] == labels.label("mentoring_intro", "en", l3="3.0", tenure=5, k=3)
    needs = published["kebutuhan_pelatihan"]
    assert [f["text"] for f in out["findings"]] == [labels.label(
        "finding_needs", "en", n_lines=len(needs), n_units=needs["unit"].nunique(),
        n_mentees="–", n_pairs="–")]
    # With minus without mentoring 0.5 [-1.3, 2.3]: not established, and the text says so.
    assert out["evidence"].startswith("Evidence for mentoring: The data cannot tell the "
                                      "effect on IKM in units where mentoring followed")
    assert "mentoring is suggested only as a trial to evaluate" in out["evidence"]
    assert "Dinas A" in out["table"] and out["missing"] is None


def test_data_quality_section(computed, page):
    _, _, published, _, _ = computed
    out = data_quality_section(published, page)
    assert _rows(out["table"]) == 2 and _rows(out["quarantine_table"]) == 2
    assert data_quality_section({}, page)["missing"] == labels.label(
        "no_manifest", "en", folder="processed")


def test_method_appendix_and_footer(computed, page):
    _, recs, _, processed, _ = computed
    methods = method_appendix(recs, page)
    assert len(methods) == 11
    assert methods[0] == labels.label("appendix_findings", "en")
    assert methods[3] == labels.label("appendix_period", "en", n=2, periods="2024Q3, 2024Q4")
    # Grade floors and the 20 JP come from evalkit.ikm and evalkit.training.
    assert "(A ≥ 88.31; B ≥ 76.61; C ≥ 65.00)" in methods[1]
    assert methods[4].startswith("20 JP: ") and "1 JP = 45 minutes" in methods[4]
    assert footer(page, read_manifest(processed)).endswith(
        labels.label("report_inputs", "en", n="3"))


def test_summary_context_collects_findings_in_page_order(computed, tmp_path):
    _, recs, published, processed, _ = computed
    ctx = summary_context(recs, published, tmp_path, processed_dir=processed, lang="en",
                          simulated=True)
    starts = [labels.label(k, "en").split("{")[0] for k in ("finding_ikm", "finding_grades")]
    starts += ["After the training, IKM rose", "The data cannot tell the effect on IKM in "
               "units where mentoring", "The training improved IKM more in units whose"]
    starts += [labels.label(k, "en").split("{")[0] for k in ("finding_transfer",
                                                            "finding_needs")]
    assert len(ctx["findings"]) == len(starts)
    for item, start in zip(ctx["findings"], starts, strict=True):
        assert item["text"].startswith(start), (item, start)
    assert all("findings" not in ctx[s] for s in ("ikm", "effects", "transfer", "mentoring"))
    assert sorted(p.name for p in (tmp_path / "figures").glob("*.png")) == [
        "summary_effects.png", "summary_element_gaps.png", "summary_ikm_units.png",
        "summary_priorities.png", "summary_transfer.png"]
    assert isinstance(ctx["dash_note"], str) and pd.notna(ctx["generated"])
