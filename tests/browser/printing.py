"""Printing in the browser tests: a page must fit one sheet on both paper sizes clinics use."""

import io
from pathlib import Path

from pypdf import PdfReader

PAPER_SIZES = ("Letter", "A4")


def assert_prints_on_one_page(page, artifacts_dir: Path, stem: str, what: str) -> None:
    """The page in ``page`` prints to exactly one sheet on Letter and on A4; a PDF that does
    not is kept as ``<stem>-<paper>.pdf`` among the artifacts, to look at."""
    for paper in PAPER_SIZES:
        pdf = page.pdf(format=paper, print_background=True)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if pages != 1:
            (artifacts_dir / f"{stem}-{paper}.pdf").write_bytes(pdf)
        assert pages == 1, f"{what} is {pages} pages on {paper}"
