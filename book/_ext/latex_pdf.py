"""The LaTeX build of the book (book/build_pdf.py loads this extension; the HTML site does not).

- SVG figures: the lessons show their figures as SVG (mlpcore.course.figures.show), which LaTeX
  cannot include. Sphinx converts an image its builder does not support when an image
  converter offers a rule for it; :class:`RsvgConverter` turns ``image/svg+xml`` into
  ``application/pdf`` with librsvg's ``rsvg-convert`` (Debian's ``librsvg2-bin``): vector, with
  its text kept as text.
- The equation index: Sphinx typesets a table of 30 rows or fewer in a ``tabulary``, which never
  breaks across pages, and the index's tall rows ran off the page. It becomes a ``longtable``,
  with column widths that leave room for its equations.
"""

from __future__ import annotations

import shutil
import subprocess

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.images import ImageConverter

# Number, section, equation, function, lesson (book/build_pages.py writes the table).
EQ_INDEX_WIDTHS = [9, 8, 43, 20, 20]


class RsvgConverter(ImageConverter):
    """``rsvg-convert -f pdf``: one SVG file into one PDF file."""

    conversion_rules = [("image/svg+xml", "application/pdf")]

    def is_available(self) -> bool:
        if shutil.which("rsvg-convert") is None:
            raise ExtensionError(
                "latex_pdf: rsvg-convert not found; install Debian's librsvg2-bin "
                "(.ci/run does) to put the SVG figures into the PDF"
            )
        return True

    def convert(self, _from: str, _to: str) -> bool:
        subprocess.run(["rsvg-convert", "--format=pdf", "--output", _to, _from], check=True)
        return True


class EquationIndexTable(SphinxPostTransform):
    """The equation index as a ``longtable`` with its own column widths."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for table in self.document.findall(nodes.table):
            if "eq-index" in table["classes"]:
                table["classes"].append("longtable")
                specs = list(table.findall(nodes.colspec))
                if len(specs) != len(EQ_INDEX_WIDTHS):
                    raise ExtensionError(
                        f"latex_pdf: the equation index has {len(specs)} columns, "
                        f"expected {len(EQ_INDEX_WIDTHS)}: update EQ_INDEX_WIDTHS"
                    )
                for spec, width in zip(specs, EQ_INDEX_WIDTHS, strict=True):
                    spec["colwidth"] = width
                table["classes"].append("colwidths-given")


def setup(app: Sphinx) -> dict:
    app.add_post_transform(RsvgConverter)
    app.add_post_transform(EquationIndexTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
