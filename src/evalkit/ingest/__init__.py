"""Cleaning real exports: one reader per raw source, each returning ``(clean, quarantine)``.

Files are read as text (identifiers never become numbers), CSV separators and encodings are
sniffed (``,``/``;``; UTF-8 with or without BOM, cp1252), numbers may use a decimal comma and
a thousands dot, dates are parsed day-first with explicit formats. Rows that break a rule of
docs/data-contract.md go to the quarantine with a reason; files that cannot be read at all
raise :class:`RawFileError` with one message naming the file, the problem and what to do.
An optional ``sources.yaml`` (:func:`load_sources`) maps exports in other layouts to the
documented one; any subset of sources may be present; :func:`check_folder` inspects a folder
without writing anything (``evalkit check``).
The survey's respondent profile is harmonised to one category list here (``profiles``), and
``quality`` turns what the cleaning did into tables for the notebook and the run report.

Examples
--------
>>> import pandas as pd
>>> normalise_nip(pd.Series(["19780717 201001 2 012"])).iloc[0]
'197807172010012012'
>>> parse_dates_dayfirst(pd.Series(["05/12/2026"])).iloc[0].month
12

"""

from ._common import DataQualityWarning
from ._faults import QUARANTINE_COLUMNS, mask_personal
from ._io import RawFileError, read_csv_text, read_xlsx_text, sniff_separator
from ._parse import map_labels, normalise_nip, parse_dates_dayfirst, parse_number, validate_nip
from .check import FolderCheck, SourceCheck, check_folder
from .clean import CleaningResult, clean_all
from .profiles import (
    ASN_AGE_BANDS,
    PROFILE_CATEGORIES,
    RESPONDENT_AGE_BANDS,
    age_band,
    harmonise_profile,
    respondent_age_band,
)
from .quality import (
    data_quality_table,
    quarantine_examples,
    quarantine_reasons,
    table_overview,
)
from .readers import (
    read_evaluasi,
    read_kinerja,
    read_koding_manual,
    read_mentoring,
    read_pegawai,
    read_pelatihan,
    read_skp,
)
from .skm import load_questions, normalise_heading, read_skm, score_answers
from .sources import SOURCES, Sources, SourceSpec, load_sources
from .wawancara import read_wawancara

__all__ = [
    "RawFileError", "CleaningResult", "clean_all", "SOURCES", "QUARANTINE_COLUMNS",
    "load_sources", "Sources", "SourceSpec", "check_folder", "FolderCheck", "SourceCheck",
    "read_pegawai", "read_pelatihan", "read_skm", "read_kinerja", "read_skp", "read_evaluasi",
    "read_mentoring", "read_wawancara", "read_koding_manual",
    "parse_dates_dayfirst", "normalise_nip", "validate_nip", "parse_number", "map_labels",
    "load_questions", "normalise_heading", "score_answers", "read_csv_text", "read_xlsx_text",
    "sniff_separator", "mask_personal", "DataQualityWarning",
    "PROFILE_CATEGORIES", "ASN_AGE_BANDS", "RESPONDENT_AGE_BANDS", "age_band",
    "harmonise_profile", "respondent_age_band",
    "quarantine_reasons", "quarantine_examples", "data_quality_table", "table_overview",
]
