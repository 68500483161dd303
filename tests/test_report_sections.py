"""Tests of the report's section functions (evalkit.report.sections), one per section.

The hand-made processed folder of tests/report_fixture.py flows through recommend_all and
report_tables as in notebook 06; its properties are known by construction: three units,
"Kecamatan C" too small to publish, "Dinas A" weak on u7 with 12 of its 20 alumni
struggling, the preferred effect (cs_did) 2.0 [1.0, 3.0] with a difficulty subgroup.
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
    assert out["findings"][0].startswith(f"City IKM in 2024Q4: {city['ikm']:.2f} (grade ")
    # Kecamatan C (3 answers) is suppressed: its grade is not counted among the units.
    grades = published["ikm_unit_terkini"]["mutu"].dropna()
    assert len(grades) == 2
    assert out["findings"][1].startswith("Unit service grades in 2024Q4: ")
    assert _rows(out["table"]) == 3 and out["missing"] is None
    assert out["figure"].startswith("data:image/png;base64,")
    assert (page.output_dir / "figures" / "summary_ikm_units.png").is_file()


def test_effects_section_preferred_effect_and_subgroups(computed, page):
    _, recs, published, _, _ = computed
    out = effects_section(published, recs, page, simulated=True)
    # cs_did overall 2.0 [1.0, 3.0]: its interval excludes zero, so no "includes zero" line;
    # cs_did's difficulty subgroups give one sentence (1.0 against 3.0).
    assert out["findings"] == [
        labels.label("finding_effect", "en", method=labels.code_label("method", "cs_did", "en"),
                     estimate="2.00", low="1.00", high="3.00"),
        labels.label("finding_difficulty", "en", a="1.00", a_low="0.20", a_high="1.80",
                     b="3.00", b_low="2.10", b_high="3.90")]
    # Shown: every IKM row without event times (cs_did att, twfe att, two subgroups); the
    # other outcome (nrr_u7) only by cs_did's overall effect, which the fixture lacks.
    assert _rows(out["table"]) == 4
    assert out["show_truth"] and "True value" in out["table"]
    # Real data carry no true value.
    assert not effects_section(published, recs, page)["show_truth"]


def test_effects_section_says_when_the_interval_includes_zero(computed, page):
    _, recs, published, _, _ = computed
    effect = recs.effect.copy()
    effect["ci_low"] = -0.5
    out = effects_section(published, recommend.Recommendations(recs.settings, effect=effect),
                          page)
    assert labels.label("finding_effect_zero", "en") in out["findings"]


def test_transfer_section_city_share_and_flagged_units(computed, page):
    _, recs, published, _, _ = computed
    out = transfer_section(published, recs, page)
    # Fixture: 13 of 35 alumni struggle (37%); only Dinas A's interval lies above it.
    assert out["findings"] == [labels.label("finding_transfer", "en", share="37%", n_units=1)]
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
    assert "(25% of staff trained)" in out["intro"]
    assert _rows(out["table"]) == 3 and out["figure"].startswith("data:image/png")
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
    assert out["findings"] == [labels.label(
        "finding_needs", "en", n_lines=len(needs), n_units=needs["unit"].nunique(),
        n_mentees="–", n_pairs="–")]
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
    assert len(methods) == 10
    assert methods[2] == labels.label("appendix_period", "en", n=2, periods="2024Q3, 2024Q4")
    # Grade floors and the 20 JP come from evalkit.ikm and evalkit.training.
    assert "(A ≥ 88.31; B ≥ 76.61; C ≥ 65.00)" in methods[0]
    assert methods[3].startswith("20 JP: ") and "1 JP = 45 minutes" in methods[3]
    assert footer(page, read_manifest(processed)).endswith(
        labels.label("report_inputs", "en", n="3"))


def test_summary_context_collects_findings_in_page_order(computed, tmp_path):
    _, recs, published, processed, _ = computed
    ctx = summary_context(recs, published, tmp_path, processed_dir=processed, lang="en",
                          simulated=True)
    keys = ["finding_ikm", "finding_grades", "finding_effect", "finding_difficulty",
            "finding_transfer", "finding_needs"]
    starts = [labels.label(k, "en").split("{")[0] for k in keys]
    assert len(ctx["findings"]) == len(keys)
    for sentence, start in zip(ctx["findings"], starts, strict=True):
        assert sentence.startswith(start), (sentence, start)
    assert all("findings" not in ctx[s] for s in ("ikm", "effects", "transfer", "mentoring"))
    assert sorted(p.name for p in (tmp_path / "figures").glob("*.png")) == [
        "summary_effects.png", "summary_element_gaps.png", "summary_ikm_units.png",
        "summary_priorities.png", "summary_transfer.png"]
    assert isinstance(ctx["dash_note"], str) and pd.notna(ctx["generated"])
