"""Tests of the decision makers' report (evalkit.report) and the label dictionary.

The report is built from a small hand-made processed folder (tests/report_fixture.py) whose
properties are known: "Kecamatan C" has 3 respondents in the latest quarter and 3 staff, so
its statistics must be suppressed; "Dinas A" is clearly weak on u7. The folder goes through
the steps of notebook 06 (report_fixture.run_notebook_06). The section functions are tested
in tests/test_report_sections.py.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from markupsafe import escape
from pandera import errors as pa_errors
from report_fixture import run_notebook_06, write_fixture

from evalkit import labels, recommend, schemas
from evalkit.ikm import ELEMENTS
from evalkit.labels import Lang
from evalkit.outputs import WORKBOOK_NAME, save_table, save_workbook
from evalkit.privacy import (
    published_total,
    suppress_mentoring_summary,
    suppress_quality,
    suppress_with_margin,
)
from evalkit.report import (
    REPORT_INPUTS,
    build_summary,
    format_number,
    html_table,
    input_overview,
    load_inputs,
    read_manifest,
    report_tables,
)
from evalkit.report.summary import SUMMARY_TEMPLATE, template_environment

HEADINGS = ["sec_key_findings", "sec_ikm", "sec_effects", "sec_transfer", "sec_recommendations",
            "sec_priorities", "sec_needs", "sec_mentoring", "sec_data_quality", "sec_method"]

#: Columns that count the people a row rests on (the group sizes of the suppression rule).
def text(key: str, lang: Lang, **fields) -> str:
    """A label as it appears in the HTML (escaped: ' becomes &#39;)."""
    return str(escape(labels.label(key, lang, **fields)))


GROUP_COUNTS = ["n", "n_responses", "n_asn", "n_alumni", "n_mentee", "n_mentor_layak",
                "n_informan", "n_rows", "rows_quarantined"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    processed = write_fixture(root / "data")
    out = {}
    for lang in ("id", "en"):
        path, _, _ = run_notebook_06(processed, root / f"run_{lang}", lang)
        out[lang] = (path, path.read_text(encoding="utf-8"))
    out["dirs"] = (processed, root)
    return out


# --- labels --------------------------------------------------------------------------------------


def test_every_label_has_both_languages():
    table = labels.all_labels()
    assert len(table) > 100
    for key, texts in table.items():
        assert set(texts) == set(labels.LANGS), key
        assert all(texts[lg].strip() for lg in labels.LANGS), key


def test_label_file_has_no_duplicate_keys():
    # YAML keeps the last of two equal keys silently; a duplicate would hide a translation.
    keys = [line.split(":", 1)[0] for line in
            labels.LABELS_FILE.read_text(encoding="utf-8").splitlines()
            if line[:1].isalpha()]
    assert len(keys) == len(set(keys)), sorted(k for k in set(keys) if keys.count(k) > 1)


def test_label_lookup_and_errors():
    assert labels.label("sec_method", "id") == "Lampiran metode"
    assert labels.label("sec_method", "en") == "Method appendix"
    assert "7" in labels.label("needs_top_note", "en", k=7)
    with pytest.raises(KeyError, match="labels.yaml"):
        labels.label("no_such_key", "id")
    with pytest.raises(ValueError, match="language"):
        labels.label("sec_method", "fr")


def test_catalog_topics_and_elements_have_labels():
    cat = recommend.load_catalog()
    for topic in [*cat["topic"], "topic_jp_20"]:
        assert labels.has_label(topic), topic
    for element in ELEMENTS:
        assert labels.has_label(f"unsur_{element}")
    for form in ("pelatihan", "pelatihan_mentoring", "perbaikan_sarana", "kebijakan"):
        assert labels.has_label(f"bentuk_{form}")


def test_format_number_by_language():
    # Indonesian writes 1.234,56 (dot thousands, comma decimals).
    assert format_number(1234.567, 2, "id") == "1.234,57"
    assert format_number(1234.567, 2, "en") == "1,234.57"
    assert format_number(0.5, 0, "id", percent=True) == "50%"
    assert format_number(float("nan")) == "–"


def test_html_table_escapes_and_labels():
    html = html_table(pd.DataFrame({"unit": ["<b>x</b>"], "unsur": ["u7"], "ikm": [None]}), "en")
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "U7 Staff behaviour" in html and "<th>Element</th>" in html
    assert "–" in html


# --- the report ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_has_headings_in_its_language(built, lang):
    _, html = built[lang]
    other = "en" if lang == "id" else "id"
    assert f'<html lang="{lang}">' in html
    for key in HEADINGS:
        assert text(key, lang) in html, key
    # and not the other language's headings (they differ in every key listed)
    for key in HEADINGS:
        if labels.label(key, other) != labels.label(key, lang):
            assert labels.label(key, other) not in html, key
    assert text("simulated_notice", lang) in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_summary_is_self_contained(built, lang):
    _, html = built[lang]
    # No external URL in any src/href, no script, no stylesheet link, no CSS import.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html
    # Five figures, all embedded as PNG data.
    assert len(re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', html)) == 5
    assert len(re.findall(r"<img ", html)) == 5


def test_summary_content_and_escaping(built):
    _, html = built["id"]
    # The quote with angle brackets is escaped, not interpreted as markup.
    assert "&lt;antrean&gt;" in html and "<antrean>" not in html
    # Dinas A's weak u7 becomes a service-excellence need; its transfer is weak, but the
    # mentoring difference is not established: mentoring only as a trial, and the table
    # says so.
    assert "Pelayanan prima" in html
    assert f"<td>{text('bentuk_pelatihan_mentoring_uji', 'id')}</td>" in html
    assert f"<td>{text('bentuk_pelatihan_mentoring', 'id')}</td>" not in html
    # The effect of the preferred method (staggered DiD) drives the headline.
    assert "Setelah pelatihan, IKM naik 2,00, sebuah perbaikan (" in html
    _, html_en = built["en"]
    assert "After the training, IKM rose by 2.00, an improvement (" in html_en


def test_simulated_notice_only_for_simulated_data(tmp_path):
    processed = write_fixture(tmp_path / "data", simulated=False)
    # A simulator's truth.json in a raw folder beside it is not read: the report reads the
    # processed folder only (DESIGN: only notebook 01 reads raw_dir).
    raw = tmp_path / "data" / "raw"
    raw.mkdir()
    (raw / "truth.json").write_text('{"simulated": true}', encoding="utf-8")
    html = run_notebook_06(processed, tmp_path / "run", "id")[0].read_text(encoding="utf-8")
    assert text("simulated_notice", "id") not in html
    assert text("col_truth", "id") not in html  # no "true value" column for real data


def test_footer_names_processed_folder_and_inputs(built):
    # The fixture's manifest lists three raw input files; the folder is shown by name
    # (outside the project root only the last part of a path is shown).
    _, html = built["en"]
    footer = re.search(r"<footer>(.*?)</footer>", html, re.S).group(1)
    assert "from the cleaned tables in processed." in footer
    assert text("report_inputs", "en", n="3") in footer
    assert "raw" not in footer.replace("raw data files", "")


def test_published_tables_are_suppressed(built):
    _, root = built["dirs"]
    book = root / "run_id" / "tables" / f"{WORKBOOK_NAME}.xlsx"
    sheets = pd.read_excel(book, sheet_name=None, engine="calamine")
    checked = 0
    for name, table in sheets.items():
        for col in set(GROUP_COUNTS) & set(table.columns):
            shown = pd.to_numeric(table[col], errors="coerce").dropna()
            assert (shown >= 5).all(), f"{name}.{col} shows a cell under 5: {shown.tolist()}"
            checked += 1
    assert checked >= 8
    ikm = sheets["ikm_unit_terkini"].set_index("unit")
    assert ikm.loc["Kecamatan C", "suppressed"]
    assert pd.isna(ikm.loc["Kecamatan C", "ikm"]) and pd.isna(ikm.loc["Kecamatan C", "mutu"])
    assert not ikm.loc["Dinas A", "suppressed"] and ikm.loc["Dinas A", "ikm"] > 25
    jp = sheets["jp20_unit"].set_index("unit")
    assert pd.isna(jp.loc["Kecamatan C", "share_20jp"])
    # The CSV that scripts read is suppressed the same way.
    csv = pd.read_csv(root / "run_id" / "tables" / "transfer_l3_unit.csv").set_index("unit")
    assert pd.isna(csv.loc["Kecamatan C", "share_kesulitan"])
    assert csv.loc["Dinas A", "share_kesulitan"] == pytest.approx(12 / 20)
    # Dinas B has one mentee (fixture): its whole mentoring row is hidden.
    summary = sheets["mentoring_ringkasan"].set_index("unit")
    assert summary.loc["Dinas B", "suppressed"] and pd.isna(summary.loc["Dinas B", "n_mentee"])
    assert pd.isna(summary.loc["Dinas B", "n_pasangan"])
    assert summary.loc["Dinas A", "n_pasangan"] == 12  # fixture: 12 struggling alumni in A


def test_mentoring_pairs_are_not_published(built):
    # Pseudonymised pairs are personal data: counts only in tables/, the workbook and the
    # report; the pair list is kept in the processed folder (restricted, for BKPSDM).
    processed, root = built["dirs"]
    plan = pd.read_parquet(processed / "mentoring_plan.parquet")
    # fixture: 12 mentees in Dinas A and 1 in Dinas B, each finds a mentor
    assert len(plan) == 13 and {"pid_mentor", "pid_mentee"} <= set(plan.columns)
    pids = set(plan["pid_mentor"]) | set(plan["pid_mentee"])
    for lang in ("id", "en"):
        run = root / f"run_{lang}"
        tables = run / "tables"
        assert not (tables / "mentoring_pasangan.csv").exists()
        sheets = pd.read_excel(tables / f"{WORKBOOK_NAME}.xlsx", sheet_name=None, dtype=str,
                               engine="calamine")
        assert "mentoring_pasangan" not in sheets
        for name, table in sheets.items():
            assert not {"pid", "pid_mentor", "pid_mentee"} & set(table.columns), name
            assert not pids & set(table.stack().astype(str)), name
        html = built[lang][1]
        assert not any(pid in html for pid in pids)
        assert "mentoring_plan.parquet" in html
        # The city totals are not shown: 13 mentees of which 1 is hidden (Dinas B) would
        # reveal Dinas B's count by subtraction.
        pattern = re.escape(text("finding_needs", lang, n_lines="@", n_units="@",
                                 n_mentees="–", n_pairs="–")).replace("@", r"\d+")
        assert re.search(pattern, html), "the mentoring totals would reveal Dinas B"


def test_published_total_keeps_hidden_rows_hidden():
    # Hand-made: total 13 with one hidden row of 1 → total − shown (12) = 1 would reveal it.
    assert published_total(pd.Series([12, 1]), pd.Series([False, True])) is None
    # Hidden rows summing to 3 + 4 = 7 ≥ 5: the total 17 reveals only that sum.
    assert published_total(pd.Series([10, 3, 4]), pd.Series([False, True, True])) == 17
    assert published_total(pd.Series([10, 7]), pd.Series([False, False])) == 17
    assert published_total(pd.Series([3]), pd.Series([False])) is None


def test_mentoring_summary_hides_small_counts_and_their_difference():
    s = pd.DataFrame({"unit": ["A", "B", "C", "D"], "n_mentee": [8, 9, 9, 4],
                      "n_mentor_layak": [6, 6, 2, 9], "n_pasangan": [8, 7, 9, 4],
                      "n_mentor_dipakai": [3, 3, 2, 2], "n_tanpa_mentor": [0, 2, 0, 0]})
    out = suppress_mentoring_summary(s).set_index("unit")
    # A: all counts ≥ 5, nobody without a mentor → shown. B: 2 without a mentor (9 − 7)
    # → hidden; C: 2 eligible mentors → hidden; D: 4 mentees → hidden.
    assert out["suppressed"].tolist() == [False, True, True, True]
    assert out.loc["A", "n_mentee"] == 8 and out.loc["A", "n_tanpa_mentor"] == 0
    assert out.loc[["B", "C", "D"], ["n_mentee", "n_pasangan", "n_tanpa_mentor"]].isna().all(
        axis=None)
    assert "n_mentor_dipakai" not in out.columns


def test_quality_table_hides_the_difference_of_a_hidden_count(built):
    # Fixture manifest: pelatihan 29 rows in, 27 clean, 2 quarantined; skm 6 quarantined.
    _, root = built["dirs"]
    quality = pd.read_csv(root / "run_en" / "tables" / "kualitas_data.csv").set_index("table")
    # 29 − 27 would give the hidden 2: both are hidden with it.
    assert quality.loc["pelatihan", ["rows_in", "rows_clean", "rows_quarantined"]].isna().all()
    assert quality.loc["pelatihan", "suppressed"]
    skm = quality.loc["skm"]
    assert not skm["suppressed"] and skm["rows_in"] - skm["rows_clean"] == 6
    # A table with no quarantined rows reveals nobody: its counts stay.
    t = pd.DataFrame({"table": ["a", "b"], "rows_in": [9, 50], "rows_clean": [9, 47],
                      "rows_quarantined": [0, 3]})
    out = suppress_quality(t).set_index("table")
    assert out.loc["a", "rows_in"] == 9 and out.loc["a", "rows_quarantined"] == 0
    assert out.loc["b", ["rows_in", "rows_clean", "rows_quarantined"]].isna().all()


def test_quarantine_kinds_get_a_secondary_cell():
    # Hand-made: table "a" has kinds of 2, 6 and 40 rows and its total (48) is published in
    # kualitas_data; hiding only the 2 would leave 48 − 6 − 40 = 2. The next smallest (6) is
    # hidden too, so the hidden cells sum to 8 ≥ 5. Table "b" has nothing small.
    kinds = pd.DataFrame({"table": ["a", "a", "a", "b", "b"], "kind": list("xyzxy"),
                          "n_rows": [2, 40, 6, 5, 9]})
    out = suppress_with_margin(kinds, "n_rows", "table")
    assert out["n_rows"].isna().tolist() == [True, False, True, False, False]
    # Two small cells that already sum to ≥ 5 need no secondary cell.
    two = pd.DataFrame({"table": ["a"] * 3, "kind": list("xyz"), "n_rows": [3, 4, 20]})
    assert suppress_with_margin(two, "n_rows", "table")["n_rows"].isna().tolist() == [
        True, True, False]


def test_workbook_holds_every_table_and_is_reproducible(tmp_path):
    processed = write_fixture(tmp_path / "data")
    runs = []
    for name in ("a", "b"):
        run = tmp_path / name
        # a table written earlier in the run by another notebook joins the workbook
        save_table(pd.DataFrame({"unit": ["A"], "x": [1.5]}), "dari_notebook_lain", run)
        run_notebook_06(processed, run, "en")
        runs.append(run)
    first, second = (r / "tables" / f"{WORKBOOK_NAME}.xlsx" for r in runs)
    assert first.read_bytes() == second.read_bytes()
    assert (runs[0] / "summary.html").read_bytes() == (runs[1] / "summary.html").read_bytes()
    sheets = pd.read_excel(first, sheet_name=None, engine="calamine")
    contents = sheets["Contents"]
    assert list(contents["Sheet"]) == [s for s in sheets if s != "Contents"]
    assert "dari_notebook_lain" in sheets
    for stem in ("ikm_unit_terkini", "kebutuhan_pelatihan", "mentoring_ringkasan",
                 "prioritas_unit", "efek_pelatihan", "kualitas_data"):
        assert stem in sheets, stem
    # the restricted pair list carries pseudonyms only (16 hex characters), no names or NIP
    pairs = pd.read_parquet(processed / "mentoring_plan.parquet")
    assert pairs["pid_mentor"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert set(pairs.columns) == {"unit", "pid_mentor", "pid_mentee", "nama_pelatihan",
                                  "skor_pasangan"}


def test_workbook_sheet_names_are_unique_and_short(tmp_path):
    long = "x" * 40
    path = save_workbook({long: pd.DataFrame({"a": [1]}), long + "y": pd.DataFrame({"a": [2]})},
                         tmp_path, include_folder=False)
    names = list(pd.read_excel(path, sheet_name=None, engine="calamine"))
    assert len(names) == 3 and len(set(n.lower() for n in names)) == 3
    assert all(len(n) <= 31 for n in names)


def test_input_overview_counts_rows_and_names_missing(tmp_path):
    processed = write_fixture(tmp_path / "data")
    (processed / "effects.parquet").unlink()
    table = input_overview(load_inputs(processed)).set_index("table")
    # By construction of the fixture: 4 × 60 answers in A and B, 20 + 3 in Kecamatan C;
    # 20 + 12 + 3 staff.
    assert table.loc["skm", "rows"] == 4 * 60 + 20 + 3
    assert table.loc["pegawai", "rows"] == 35
    assert pd.isna(table.loc["effects", "rows"])
    assert table.loc["effects", "written_by"] == "04-training-effects"
    assert list(table.index) == list(REPORT_INPUTS)


def test_clean_data_with_an_empty_quarantine_give_a_report(tmp_path):
    # an export without a single rejected row leaves an empty quarantine: good news, not a
    # stop (found on an e-SKM export in long layout)
    processed = write_fixture(tmp_path / "data")
    quarantine = pd.read_parquet(processed / "quarantine.parquet")
    quarantine.iloc[:0].to_parquet(processed / "quarantine.parquet", index=False)
    inputs = load_inputs(processed)
    assert inputs["quarantine"] is not None and inputs["quarantine"].empty
    html = run_notebook_06(processed, tmp_path / "run", "en")[0].read_text(encoding="utf-8")
    assert 'id="sec-ikm"' in html and 'id="sec-data-quality"' in html


def test_sections_without_data_are_left_out_and_named(tmp_path):
    # issue 13: the page shows only the sections it has data for, and one line says what is
    # absent and why
    empty = tmp_path / "processed"
    empty.mkdir()
    html = run_notebook_06(empty, tmp_path / "run", "en")[0].read_text(encoding="utf-8")
    for anchor in ("sec-ikm", "sec-effects", "sec-transfer", "sec-needs", "sec-data-quality"):
        assert f'id="{anchor}"' not in html
    assert 'id="sec-method"' in html and 'id="sec-findings"' in html
    assert "02-service-satisfaction-ikm: ikm_unit_period" in html
    assert "03-training-participation" in html


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(ValueError, match="language"):
        build_summary(recommend.recommend_all({}), {}, tmp_path / "run",
                      processed_dir=tmp_path, lang="fr")


def _folder_state(folder):
    return {p.relative_to(folder): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_summary_writes_only_the_run_folder(tmp_path):
    # Notebook 06 computes the recommendations and tables; build_summary only writes the
    # run folder: the processed folder is the same file for file, byte for byte, and the
    # restricted mentoring plan is not written by it.
    processed = write_fixture(tmp_path / "data")
    inputs = load_inputs(processed)
    recs = recommend.recommend_all(inputs)
    published = report_tables(inputs, recs, manifest=read_manifest(processed))
    before = _folder_state(processed)
    path = build_summary(recs, published, tmp_path / "run", processed_dir=processed, lang="en")
    assert _folder_state(processed) == before
    assert not (processed / "mentoring_plan.parquet").exists()
    assert path == tmp_path / "run" / "summary.html"
    written = {p.relative_to(tmp_path / "run").parts[0] for p in (tmp_path / "run").rglob("*")}
    assert written == {"summary.html", "tables", "figures"}
    # every published table is in tables/ as CSV and XLSX
    for name in published:
        assert (tmp_path / "run" / "tables" / f"{name}.csv").is_file(), name
        assert (tmp_path / "run" / "tables" / f"{name}.xlsx").is_file(), name


def test_mentoring_plan_is_validated_pseudonyms_only(built):
    processed, _ = built["dirs"]
    plan = pd.read_parquet(processed / "mentoring_plan.parquet")
    assert len(schemas.validate(plan, "mentoring_plan")) == 13
    # A NIP where a pseudonym belongs is refused by the one writer of processed tables.
    leaked = plan.head(1).assign(pid_mentee="198001012005011001")
    with pytest.raises(pa_errors.SchemaErrors, match="pid_mentee"):
        schemas.write_processed("mentoring_plan", leaked, processed.parent / "elsewhere")


def test_effects_table_keeps_overall_and_subgroups_not_event_times(built):
    # Fixture: 3 overall rows, 2 cs_did subgroups, 2 event times (att_e-1, att_e0).
    _, root = built["dirs"]
    effects = pd.read_csv(root / "run_en" / "tables" / "efek_pelatihan.csv")
    assert len(effects) == 5
    assert sorted(effects["estimand"].unique()) == ["att", "att_difficulty_high",
                                                    "att_difficulty_low"]


#: Phrases that state a direction of an effect or of a difference (findings of
#: evalkit.findings and the sentences the report used to print), by language.
DIRECTIONAL = {
    "id": ["sebuah perbaikan", "sebuah kemunduran", "lebih memperbaiki", "kurang memperbaiki",
           "Dampak lebih kecil", "IKM naik", "IKM turun"],
    "en": ["an improvement", "a deterioration", "improved IKM more", "improved IKM less",
           "The effect is smaller", "IKM rose", "IKM fell"],
}

#: The "cannot tell" sentences of the null city, written out by hand from its numbers
#: (headline -0.3 [-1.4, 0.8]; mentoring 0.2 [-1.5, 1.9]; difficulty -1.26 [-2.9, 0.38]).
CANNOT_TELL = {
    "id": ["Data belum dapat membedakan dampak pelatihan pada IKM dari nol: -0,30 (",
           "IK 95% -1,40 – 0,80).",
           "Data belum dapat membedakan dampak pada IKM di unit yang pelatihannya diikuti "
           "mentoring dari dampaknya di unit tanpa mentoring: selisih 0,20 (IK 95% -1,50 – "
           "1,90).",
           "Data belum dapat membedakan dampak pada IKM di unit yang alumninya jarang "
           "melaporkan kesulitan menerapkan pelatihan dari dampaknya di unit yang alumninya "
           "sering melaporkan kesulitan: selisih -1,26 (IK 95% -2,90 – 0,38)."],
    "en": ["The data cannot tell the training’s effect on IKM from zero: -0.30 (",
           "95% CI -1.40 – 0.80).",
           "The data cannot tell the effect on IKM in units where mentoring followed the "
           "course from the effect in units without mentoring: difference 0.20 (95% CI -1.50 "
           "– 1.90).",
           "The data cannot tell the effect on IKM in units whose alumni rarely report "
           "difficulty applying it from the effect in units whose alumni often report "
           "difficulty: difference -1.26 (95% CI -2.90 – 0.38)."],
}


@pytest.fixture(scope="module")
def null_built(tmp_path_factory):
    """The report of a city in which the training does nothing (every interval covers 0)."""
    root = tmp_path_factory.mktemp("null")
    processed = write_fixture(root / "data", effects="null")
    out = {}
    for lang in ("id", "en"):
        path, recs, _ = run_notebook_06(processed, root / f"run_{lang}", lang)
        out[lang] = (recs, path.read_text(encoding="utf-8"))
    return out


def _key_findings(html: str) -> str:
    """The key-findings list of the page."""
    return html.split('<ul class="findings">', 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_city_without_effect_claims_none(null_built, lang):
    recs, html = null_built[lang]
    for sentence in CANNOT_TELL[lang]:
        assert str(escape(sentence)) in html, sentence
    for phrase in DIRECTIONAL[lang]:
        assert phrase not in html, phrase
    # Three findings, each marked as not told apart from zero.
    findings = _key_findings(html)
    assert findings.count('class="verdict verdict-inconclusive"') == 3
    assert "verdict-positive" not in findings and "verdict-negative" not in findings
    assert text("verdict_inconclusive", lang) in findings
    # Priorities: the gain is not established, so no ranking by it and no gain column or
    # figure; the units by need: coverage gaps C 1.0, A (0.25 − 0.2)/0.25 = 0.2, B 0 (the
    # gain -0.3 × gap would have put B first).
    assert recs.effect_supported is False
    assert recs.priorities["unit"].tolist() == ["Kecamatan C", "Dinas A", "Dinas B"]
    assert text("priorities_intro_inconclusive", lang, method="@", estimate="@", low="@",
                high="@", target="@").split("@")[0] in html
    assert text("col_perkiraan_kenaikan", lang) not in html
    assert text("fig_priorities", lang) not in html
    # Mentoring: neither the "training + mentoring" form nor a claim that it helps.
    assert f"<td>{text('bentuk_pelatihan_mentoring', lang)}</td>" not in html
    assert f"<td>{text('bentuk_pelatihan_mentoring_uji', lang)}</td>" in html
    assert text("mentoring_evidence_better", lang, finding="@").split("@")[1] not in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_city_with_effect_states_only_supported_findings(built, lang):
    # Headline 2.0 [1.0, 3.0] and low minus high difficulty 2.0 [0.8, 3.2] are stated with
    # their direction; with minus without mentoring 0.5 [-1.3, 2.3] is not.
    _, html = built[lang]
    stated = {
        "id": ["Setelah pelatihan, IKM naik 2,00, sebuah perbaikan (",
               "Pelatihan lebih memperbaiki IKM di unit yang alumninya jarang melaporkan "
               "kesulitan menerapkan pelatihan daripada di unit yang alumninya sering "
               "melaporkan kesulitan: selisih 2,00 (IK 95% 0,80 – 3,20).",
               "Data belum dapat membedakan dampak pada IKM di unit yang pelatihannya diikuti "
               "mentoring dari dampaknya di unit tanpa mentoring: selisih 0,50 (IK 95% -1,30 "
               "– 2,30)."],
        "en": ["After the training, IKM rose by 2.00, an improvement (",
               "The training improved IKM more in units whose alumni rarely report difficulty "
               "applying it than in units whose alumni often report difficulty: difference "
               "2.00 (95% CI 0.80 – 3.20).",
               "The data cannot tell the effect on IKM in units where mentoring followed the "
               "course from the effect in units without mentoring: difference 0.50 (95% CI "
               "-1.30 – 2.30)."],
    }[lang]
    for sentence in stated:
        assert str(escape(sentence)) in html, sentence
    mentoring_claim = {"id": "lebih memperbaiki IKM di unit yang pelatihannya diikuti",
                       "en": "improved IKM more in units where mentoring"}[lang]
    assert mentoring_claim not in html
    findings = _key_findings(html)
    assert findings.count('class="verdict verdict-positive"') == 2
    assert findings.count('class="verdict verdict-inconclusive"') == 1
    # The static side-by-side subgroup sentence is gone (1.0 [0.2, 1.8] against 3.0).
    assert DIRECTIONAL[lang][4] not in html
    # The mentoring recommendation says the evidence is not there.
    assert text("mentoring_evidence_better", lang, finding="@").split("@")[1] not in html
    assert text("mentoring_evidence_inconclusive", lang, finding="@").split("@")[1] in html
    # The priorities rank by the established gain.
    assert text("priorities_intro", lang, target="25%") in html


def test_method_appendix_names_the_effect_by_its_labels(built):
    _, html = built["en"]
    effect = " · ".join([labels.code_label("outcome", "ikm", "en"),
                         labels.code_label("method", "cs_did", "en"),
                         labels.code_label("estimand", "att", "en")])
    assert str(escape(effect)) in html
    # the rules this run used: cohort threshold 25%, at least 5 alumni answered
    assert "(threshold 25%)" in html
    assert text("appendix_transfer", "en", min_n=5) in html


def test_template_is_a_packaged_jinja_file_with_autoescape():
    env = template_environment()
    assert env.autoescape is True
    source, path, _ = env.loader.get_source(env, SUMMARY_TEMPLATE)
    assert path.endswith("evalkit/report/templates/summary.html.j2")
    assert "<script" not in source and "http" not in source
    # A value holding markup is escaped, not interpreted.
    assert "&lt;b&gt;" in env.from_string("{{ x }}").render(x="<b>")
