"""Interview themes: transcripts → speaker turns → coded themes, agreement, quotes.

The evaluation interviews ask trained ASN what the training changed and what stood in the
way. This subpackage turns the transcripts into evidence that sits beside the numbers:

1. :func:`load_codebook` reads ``config/codebook.yaml`` (themes, Indonesian keywords, negation
   rules) and names the line of any problem.
2. the speaker turns come from the processed table ``wawancara_segmen``, written by the
   cleaning step; a transcript held as text is split by
   :func:`evalkit.ingest.wawancara.parse_transcript`, the one parser of the format.
3. :func:`code_texts` / :func:`code_segments` code texts automatically: words are reduced to
   their stems with PySastrawi (each distinct word stemmed once), keyword phrases are matched
   on stems, a negator shortly before a keyword cancels it for negatable themes
   ("tidak ada kendala" is not a difficulty), and themes about a stance also need one of
   their context words in the sentence ("atasan" is support only beside "mendukung", …).
4. :func:`theme_frequencies`, :func:`cooccurrence`, :func:`agreement` (Cohen's kappa from
   statsmodels, Krippendorff's alpha from ``krippendorff``), :func:`representative_quotes`
   (redacted with :func:`evalkit.privacy.redact`), :func:`difficulty_by_unit` (the link to
   the L3 scores and, when available, the estimated effects) and :func:`code_suggestions`
   (the same coding for SKM suggestion texts).

The modules: :mod:`~evalkit.interviews.codebook` (reading and checking the codebook),
:mod:`~evalkit.interviews.transcripts` (position type from the title),
:mod:`~evalkit.interviews.coding` (stemming, matching, negation),
:mod:`~evalkit.interviews.agreement` (kappa, alpha), :mod:`~evalkit.interviews.evidence`
(frequencies, quotes, the link to the numbers, suggestions) and
:mod:`~evalkit.interviews.tables` (counts of the transcripts, frequencies reshaped for
reading). Everything public is
importable from ``evalkit.interviews``.

Examples
--------
>>> import pandas as pd
>>> cb = load_codebook()
>>> coded = code_texts(pd.Series(["Saya kesulitan menerapkan materi.",
...                               "Tidak ada kendala, sangat bermanfaat."]), cb)
>>> coded[["kesulitan_penerapan", "dampak_positif"]].to_numpy().tolist()
[[1, 0], [0, 1]]

"""

from evalkit.interviews.agreement import (
    KAPPA_THRESHOLD,
    InterviewDataWarning,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
)
from evalkit.interviews.codebook import (
    SOURCES,
    Codebook,
    CodebookError,
    Source,
    Theme,
    load_codebook,
)
from evalkit.interviews.coding import code_segments, code_texts, match_keywords, stem_words
from evalkit.interviews.evidence import (
    OTHER_UNIT,
    code_suggestions,
    cooccurrence,
    difficulty_by_group,
    difficulty_by_unit,
    difficulty_groups,
    plot_cooccurrence,
    published_quotes,
    representative_quotes,
    theme_frequencies,
)
from evalkit.interviews.tables import theme_share_table, transcript_counts
from evalkit.interviews.transcripts import position_type

__all__ = [
    "KAPPA_THRESHOLD", "OTHER_UNIT", "SOURCES", "Source", "Codebook", "CodebookError", "Theme",
    "InterviewDataWarning", "load_codebook", "stem_words",
    "match_keywords", "code_texts", "code_segments", "position_type", "theme_frequencies",
    "cooccurrence", "plot_cooccurrence", "cohen_kappa", "krippendorff_alpha", "agreement",
    "representative_quotes", "published_quotes", "difficulty_by_unit", "difficulty_groups",
    "difficulty_by_group",
    "code_suggestions", "theme_share_table", "transcript_counts",
]

