"""SVG figures in the PDF of the book: each converted to PDF with librsvg's ``rsvg-convert``.

The lessons show their figures as SVG (mlpcore.course.figures.show), which LaTeX cannot include.
Sphinx converts an image that its builder does not support when an image converter offers a
rule for it; this one turns ``image/svg+xml`` into ``application/pdf``, vector and with its text
kept as text, for the LaTeX build only (book/build_pdf.py loads it; the HTML site keeps SVG).
Debian's ``librsvg2-bin`` provides the command.
"""

from __future__ import annotations

import shutil
import subprocess

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms.images import ImageConverter


class RsvgConverter(ImageConverter):
    """``rsvg-convert -f pdf``: one SVG file into one PDF file."""

    conversion_rules = [("image/svg+xml", "application/pdf")]

    def is_available(self) -> bool:
        if shutil.which("rsvg-convert") is None:
            raise ExtensionError(
                "svg_to_pdf: rsvg-convert not found; install Debian's librsvg2-bin "
                "(.ci/run does) to put the SVG figures into the PDF"
            )
        return True

    def convert(self, _from: str, _to: str) -> bool:
        subprocess.run(["rsvg-convert", "--format=pdf", "--output", _to, _from], check=True)
        return True


def setup(app: Sphinx) -> dict:
    app.add_post_transform(RsvgConverter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
