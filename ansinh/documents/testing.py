"""Test helpers: read a generated PDF the way a person would (its text, its first page as a picture)."""

import subprocess
import tempfile
from pathlib import Path


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in reading order (poppler's pdftotext, layout kept)."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_png(pdf: bytes, page: int = 1, dpi: int = 60) -> bytes:
    """One page rendered to PNG by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
            capture_output=True,
        )
        return (Path(folder) / "page.png").read_bytes()


def pdf_page_count(pdf: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    for line in result.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise ValueError("pdfinfo gave no page count")
