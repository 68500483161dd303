"""Where the unit pages of a run are, and the summary's list of links to them.

``evalkit units`` (:mod:`evalkit.units`) writes one page per unit into ``<run>/units/``
(``<unit-slug>.html``) and an index ``<run>/units/index.json`` with each unit's status.
:func:`unit_page_links` reads that index for the summary (the context key ``unit_pages``);
:func:`link_unit_pages` re-renders the summary's "Unit pages" block in place after the
pages were made, since ``summary.html`` is written by notebook 06 before any unit page
exists. The block sits between two HTML comments (:data:`LINKS_START`, :data:`LINKS_END`)
and is rendered from the one fragment template ``unit_pages.html.j2`` both times.

Examples
--------
>>> unit_slug("Dinas Kependudukan dan Pencatatan Sipil")
'dinas-kependudukan-dan-pencatatan-sipil'

"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from evalkit.config import resolve_path

#: Folder of the unit pages inside a run folder.
UNITS_FOLDER = "units"
#: The index of the unit pages inside :data:`UNITS_FOLDER`.
UNIT_INDEX_FILE = "index.json"
#: Template fragment of the summary's list of unit pages.
LINKS_TEMPLATE = "unit_pages.html.j2"
#: Comments around the list in ``summary.html`` (what :func:`link_unit_pages` replaces).
LINKS_START = "<!-- evalkit:unit-pages -->"
LINKS_END = "<!-- /evalkit:unit-pages -->"


def unit_slug(unit: str) -> str:
    """File name of a unit's page (without ``.html``): lower case ASCII words joined by dashes.

    Examples
    --------
    >>> unit_slug("RSUD Ibu Fatmawati Soekarno"), unit_slug("Dinas PU/PR & Kominfo")
    ('rsud-ibu-fatmawati-soekarno', 'dinas-pu-pr-kominfo')

    """
    ascii_text = unicodedata.normalize("NFKD", str(unit)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:
        raise ValueError(f"unit name {unit!r} has no letters or digits to name its page by.")
    return slug


def write_unit_index(run_dir: str | os.PathLike[str],
                     entries: Sequence[Mapping[str, Any]]) -> Path:
    """Write ``<run>/units/index.json``: one entry per unit (``unit``, ``page``, ``status`` …).

    Entries of an earlier call for other units are kept (``evalkit units --units A`` adds A).

    Examples
    --------
    >>> import tempfile
    >>> run = tempfile.mkdtemp()
    >>> _ = write_unit_index(run, [{"unit": "A", "page": "a.html", "status": "ok"}])
    >>> _ = write_unit_index(run, [{"unit": "B", "page": "b.html", "status": "failed"}])
    >>> [e["unit"] for e in read_unit_index(run)]
    ['A', 'B']

    """
    by_unit = {e["unit"]: dict(e) for e in read_unit_index(run_dir)}
    by_unit |= {e["unit"]: dict(e) for e in entries}
    path = resolve_path(run_dir) / UNITS_FOLDER / UNIT_INDEX_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [by_unit[u] for u in sorted(by_unit)]
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_unit_index(run_dir: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Return the entries of ``<run>/units/index.json``; ``[]`` when no page was made.

    Examples
    --------
    >>> import tempfile
    >>> read_unit_index(tempfile.mkdtemp())
    []

    """
    path = resolve_path(run_dir) / UNITS_FOLDER / UNIT_INDEX_FILE
    if not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc}); rerun evalkit units to rewrite "
                         "it.") from exc
    return list(rows)


def unit_page_links(run_dir: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Links of the summary to the unit pages that exist: ``unit`` and ``href`` (relative).

    Examples
    --------
    >>> import tempfile
    >>> run = Path(tempfile.mkdtemp())
    >>> _ = write_unit_index(run, [{"unit": "A", "page": "a.html", "status": "ok"}])
    >>> unit_page_links(run)  # the page itself is not there
    []
    >>> _ = (run / "units" / "a.html").write_text("<html></html>")
    >>> unit_page_links(run)
    [{'unit': 'A', 'href': 'units/a.html'}]

    """
    folder = resolve_path(run_dir) / UNITS_FOLDER
    return [{"unit": e["unit"], "href": f"{UNITS_FOLDER}/{e['page']}"}
            for e in read_unit_index(run_dir)
            if e.get("status") == "ok" and (folder / e["page"]).is_file()]


def link_unit_pages(summary: str | os.PathLike[str], environment: Any,
                    translate: Callable[..., str]) -> bool:
    """Re-render the "Unit pages" block of an existing ``summary.html`` from the run's index.

    Parameters
    ----------
    summary : path
        ``<run>/summary.html``.
    environment : jinja2.Environment
        The report templates (:func:`evalkit.report.summary.template_environment`).
    translate : callable
        ``t(key, **fields)`` in the summary's language.

    Returns
    -------
    bool
        ``False`` when the file is no HTML page; a page written before the block existed gets
        it before ``</main>``.

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.report.summary import template_environment
    >>> from evalkit.labels import label
    >>> run = Path(tempfile.mkdtemp())
    >>> _ = (run / "summary.html").write_text("<html><body><main></main></body></html>")
    >>> _ = write_unit_index(run, [{"unit": "A & B", "page": "a.html", "status": "ok"}])
    >>> _ = (run / "units" / "a.html").write_text("<html></html>")
    >>> link_unit_pages(run / "summary.html", template_environment(),
    ...                 lambda key, **f: label(key, "en", **f))
    True
    >>> '<a href="units/a.html">A &amp; B</a>' in (run / "summary.html").read_text()
    True

    """
    path = Path(summary)
    html = path.read_text(encoding="utf-8")
    block = environment.get_template(LINKS_TEMPLATE).render(
        unit_pages=unit_page_links(path.parent), t=translate)
    start, end = html.find(LINKS_START), html.find(LINKS_END)
    if start < 0 or end < start:  # a page written before the block existed: add it
        at = html.find("</main>") if "</main>" in html else html.find("</body>")
        if at < 0:
            return False
        html = html[:at] + f"{LINKS_START}\n{LINKS_END}\n" + html[at:]
        start, end = html.find(LINKS_START), html.find(LINKS_END)
    path.write_text(html[:start + len(LINKS_START)] + "\n" + block + html[end:],
                    encoding="utf-8")
    return True


__all__ = ["LINKS_END", "LINKS_START", "LINKS_TEMPLATE", "UNITS_FOLDER", "UNIT_INDEX_FILE",
           "link_unit_pages", "read_unit_index", "unit_page_links", "unit_slug",
           "write_unit_index"]
