"""The pandera schemas implement docs/data-contract.md (column names, order, rules)."""

import re

import pandas as pd
import pandera.pandas as pa
import pytest

from evalkit import config, schemas

CONTRACT = config.PROJ_ROOT / "docs" / "data-contract.md"


def _contract_columns() -> dict[str, list[str]]:
    """Table name → columns, read from the markdown tables of the contract."""
    out = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not re.fullmatch(r"`\w+`", cells[0]):
            continue
        name = cells[0].strip("`")
        text = cells[-1]
        cols = re.findall(r"`([a-z0-9_]+)`", re.sub(r"\([^)]*\)", "", text))
        # "`nrr_u1`…`nrr_u9`" and "`u1`…`u9`" are ranges in the contract
        expanded = []
        for col in cols:
            expanded.append(col)
            if col.endswith("u1") and f"`{col}`…`{col[:-1]}9`" in text:
                expanded.extend(f"{col[:-1]}{k}" for k in range(2, 10))
        out[name] = list(dict.fromkeys(expanded))
    return out


@pytest.mark.parametrize("name", sorted(set(schemas.SCHEMAS)))
def test_schema_columns_follow_the_contract(name):
    contract = _contract_columns()
    assert name in contract, f"{name} is not a table of docs/data-contract.md"
    assert schemas.columns(name) == contract[name]


def test_every_processed_table_of_the_contract_has_a_schema():
    contract = _contract_columns()
    expected = {"pegawai", "pelatihan", "skm", "kinerja_layanan", "skp",
                "evaluasi_pasca_pelatihan", "mentoring", "wawancara_segmen",
                "wawancara_koding_manual", "quarantine", "ikm_unit_period", "ikm_elements",
                "panel_unit_period", "training_asn_year"}
    assert expected <= set(schemas.SCHEMAS) and expected <= set(contract)


def test_fault_kinds_of_the_contract_have_reasons():
    text = CONTRACT.read_text(encoding="utf-8")
    section = text.split("## Injected faults", 1)[1]
    quarantined = re.findall(r"^\| `(\w+)` \|[^\n]*\| quarantine", section, flags=re.M)
    assert {"nip_float", "nip_invalid", "duplicate_response", "answer_out_of_range",
            "answer_unknown_label", "date_invalid", "training_end_before_start",
            "jp_out_of_range"} <= set(quarantined)
    assert set(quarantined) <= set(schemas.KIND_REASONS)


def _skm_row(**over):
    row = {"response_id": "x-000001", "source_file": "x_2024Q1.csv", "unit": "A",
           "period": "2024Q1", "tanggal": pd.Timestamp("2024-02-01"), "jenis_layanan": "KTP",
           "jenis_kelamin": "L", "umur": "34", "kelompok_umur": "30-39", "pendidikan": "SMA",
           "pekerjaan": "Swasta",
           **{u: 3 for u in schemas.UNSUR}, "saran": None}
    row.update(over)
    return row


def test_skm_schema_names_the_fault_kind_of_an_out_of_range_answer():
    frame = pd.DataFrame([_skm_row(), _skm_row(response_id="x-000002", u3=5)])
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schemas.validate(frame, "skm")
    cases = err.value.failure_cases
    assert cases[["column", "check", "index"]].values.tolist() == [["u3", "answer_out_of_range",
                                                                      1]]


def test_pelatihan_schema_flags_end_before_start_and_jp():
    base = {"pid": "0123456789abcdef", "unit": "A", "nama_pelatihan": "P", "rumpun": "teknis",
            "metode": "klasikal", "klasikal": True, "tanggal_mulai": pd.Timestamp("2024-03-05"),
            "tanggal_selesai": pd.Timestamp("2024-03-07"), "jp": 24.0, "nilai_pre_test": 50.0,
            "nilai_post_test": 70.0, "nilai_reaksi": 4.0}
    frame = pd.DataFrame([base, {**base, "tanggal_selesai": pd.Timestamp("2024-03-01")},
                          {**base, "jp": 250.0}])
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schemas.validate(frame, "pelatihan")
    by_check = err.value.failure_cases.drop_duplicates("index").set_index("index")["check"]
    assert by_check.to_dict() == {1: "training_end_before_start", 2: "jp_out_of_range"}


def test_later_tables_validate_typical_output_and_coerce():
    panel = pd.DataFrame({"unit": ["A"], "period": ["2024Q1"], "t": [1], "ikm": [80.0],
                          **{f"nrr_u{i}": [3.2] for i in range(1, 10)}, "n_responses": [40],
                          "rata_rata_hari": [3.0], "share_on_time": [0.9],
                          "complaints_per_1000": [2.0], "n_asn": [120], "share_trained": [0.3],
                          "jp_per_asn_cum": [12.0], "cohort": [0], "share_mentored": [0.1],
                          "l3_score": [3.5], "share_difficulty": [0.2]})
    out = schemas.validate(panel, "panel_unit_period")
    assert str(out["cohort"].dtype) == "Int64"
    bad = panel.assign(share_trained=[1.5])
    with pytest.raises(pa.errors.SchemaErrors):
        schemas.validate(bad, "panel_unit_period")


def test_strict_column_order():
    frame = pd.DataFrame({"pid": ["0123456789abcdef"], "unit": ["A"], "tahun": [2024],
                          "jp": [10.0], "memenuhi_20jp": [False]})
    schemas.validate(frame, "training_asn_year")
    with pytest.raises(pa.errors.SchemaErrors):
        schemas.validate(frame[["unit", "pid", "tahun", "jp", "memenuhi_20jp"]],
                         "training_asn_year")


def test_unknown_table_name():
    with pytest.raises(KeyError, match="known"):
        schemas.validate(pd.DataFrame(), "nope")


def test_skm_schema_holds_the_harmonised_profile_only():
    # docs/data-contract.md: one category list per profile column, "Lainnya" for the rest.
    ok = [_skm_row(response_id=f"x-{i:06d}", **row) for i, row in enumerate([
        {}, {"jenis_kelamin": "Lainnya", "pendidikan": "Lainnya", "pekerjaan": "Lainnya",
             "kelompok_umur": "Lainnya"},
        {"jenis_kelamin": None, "pendidikan": None, "pekerjaan": None, "kelompok_umur": None},
        {"kelompok_umur": "<20"}, {"kelompok_umur": "60+"}])]
    schemas.validate(pd.DataFrame(ok), "skm")
    raw = pd.DataFrame([_skm_row(jenis_kelamin="Laki-laki"),
                        _skm_row(response_id="x-000002", pendidikan="SLTA"),
                        _skm_row(response_id="x-000003", kelompok_umur="<30")])
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schemas.validate(raw, "skm")
    cases = err.value.failure_cases
    assert sorted(cases["column"]) == ["jenis_kelamin", "kelompok_umur", "pendidikan"]


def test_age_bands_follow_from_their_edges():
    # By hand: edges start left-closed bands; the first band is below the first edge.
    assert schemas.ASN_AGE_BANDS.labels == ("<30", "30-39", "40-49", "50-59", "60+")
    assert schemas.KELOMPOK_UMUR == schemas.ASN_AGE_BANDS.labels
    assert schemas.RESPONDENT_AGE_BANDS.labels == ("<20", "20-29", "30-39", "40-49", "50-59",
                                                   "60+")


def test_ikm_unit_period_kinerja_is_a_code_not_a_translation():
    row = {"unit": "A", "period": "2024Q1", "n_responses": 40,
           **{f"nrr_u{i}": 3.0 for i in range(1, 10)}, "ikm_interval": 3.0, "ikm": 75.0,
           "mutu": "C", "kinerja": "Kurang baik", "ikm_ci_low": 73.0, "ikm_ci_high": 77.0,
           "sample_min": 80, "sample_adequate": False}
    schemas.validate(pd.DataFrame([row]), "ikm_unit_period")
    with pytest.raises(pa.errors.SchemaErrors):
        schemas.validate(pd.DataFrame([{**row, "kinerja": "Poor"}]), "ikm_unit_period")
