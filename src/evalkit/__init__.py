"""evalkit: evaluate civil-servant (ASN) development programmes with reproducible notebooks.

The package holds every reusable step; the numbered notebooks in ``notebooks/`` call it and
``evalkit run`` executes them in order (see ``README.md``). One module or package per concern:

==================  ==========================================================================
``config``          every path once; parameters; reading processed tables
``ingest``          raw exports → clean tables + quarantine (``clean_all``)
``schemas``         the processed tables' schemas; ``write_processed``, their one writer
``privacy``         ``pseudonyms``, ``redact``, ``disclosure`` (all small-cell suppression)
``ikm``             SKM elements, grades, the IKM, its inference, sample adequacy, profiles
``training``        participation, JP and the 20-JP duty, Kirkpatrick levels 1–3
``panel``           the unit × period analysis panel and the roll-out cohorts
``models``          estimators only (OLS/FE, TWFE, event study, staggered DiD, propensity, …)
``effects``         the study of notebook 04: samples, subgroups, comparisons, tables
``truth``           everything about a simulated truth
``interviews``      transcripts → coded themes, agreement with human coders
``recommend``       training needs, mentoring plan, priorities
``report``          the decision makers' summary, one function per section
``outputs``         saving tables, figures and the workbook of a run
``notebook``        the one setup call of every notebook
``plots``           the figure style; ``labels``: bilingual labels; ``errors``: warning base
``pipeline``        the papermill runner; ``cli``: the ``evalkit`` command
``simulate``        the simulated city with a known truth
==================  ==========================================================================

Stable public functions
-----------------------
Their import paths and behaviour are kept within a major version (``tests/test_public_api.py``
checks the paths and signatures):

- :func:`evalkit.ikm.compute_ikm` — IKM per group (``by``), NRR per element, grade, kinerja;
- :func:`evalkit.ikm.grade` — mutu letter(s) of converted IKM values;
- :func:`evalkit.ikm.krejcie_morgan` — minimum sample size for a population;
- :func:`evalkit.models.fit_ols` — OLS with ``vcov="HC1"`` or ``{"CRV1": "col"}``, ``.tidy()``;
- :func:`evalkit.models.twfe` — two-way fixed effects, clustered by unit;
- :func:`evalkit.models.staggered_did` — Callaway & Sant'Anna ATT(g, t) and ``.aggregate()``;
- :func:`evalkit.models.att_ipw`, :func:`evalkit.models.att_aipw` — propensity estimators;
- :func:`evalkit.privacy.pseudonymise` — stable keyed pseudonyms.

Examples
--------
>>> import evalkit
>>> evalkit.__version__ != ""
True
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evalkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
