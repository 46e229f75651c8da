"""The whole book as one PDF, typeset by XeLaTeX from Debian's TeX: what `make pdf` runs.

``make book`` comes first: it writes the build configuration (``book/_config.generated.yml``)
and fills the execution cache (``book/_build/.jupyter_cache``). This script

1. writes the PDF's configuration into ``book/_build/pdf/``: the book's own, plus the LaTeX
   settings below, with the execution cache pointed at the HTML build's (no lesson runs again);
2. runs Jupyter Book's LaTeX builder, warnings as errors as for the site, into
   ``book/_build/pdf/_build/latex`` (its own doctrees, so the HTML site is untouched); the
   lessons' SVG figures become PDF figures there (book/_ext/latex_pdf.py, ``rsvg-convert``);
   the LaTeX gets the site's structure (:func:`structure`);
3. typesets it with ``latexmk`` and XeLaTeX, in GNU FreeFont (Sphinx's XeLaTeX default: it has
   Greek, so an α in the prose or in code prints); any character missing from the fonts fails
   the build (XeLaTeX would otherwise drop it silently);
4. copies the result to ``book/_build/html/backprop-line-by-line.pdf``, the file the
   introduction links to.

Debian packages (``.ci/run`` installs them, without their recommended packages): texlive-xetex
(which brings texlive-latex-extra) latexmk texlive-fonts-recommended fonts-freefont-otf
librsvg2-bin, and poppler-utils for ``pdfinfo``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml
from latex_structure import structure

BOOK = Path(__file__).resolve().parent
ROOT = BOOK.parent
CACHE = BOOK / "_build" / ".jupyter_cache"
OUT = BOOK / "_build" / "pdf"
LATEX = OUT / "_build" / "latex"
NAME = "backprop-line-by-line"
PDF = BOOK / "_build" / "html" / f"{NAME}.pdf"
TEX_COMMANDS = ("xelatex", "latexmk", "rsvg-convert")

# GNU FreeFont for the text (Sphinx's XeLaTeX default), DejaVu Sans Mono for code (FreeMono
# lacks the ✎ and ✗ the exercises print); characters that a face lacks (ᵏ in FreeSerif's italic
# and FreeSans's bold) come from DejaVu Sans.
FONTS = r"""
\setmainfont{FreeSerif}[Extension=.otf, UprightFont=*, ItalicFont=*Italic,
  BoldFont=*Bold, BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf, UprightFont=*, ItalicFont=*Oblique,
  BoldFont=*Bold, BoldItalicFont=*BoldOblique]
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase]
\newfontfamily\fallbackfont{DejaVu Sans}[Scale=MatchLowercase]
"""
FALLBACK = "ᵏ"

# LaTeX has no \llbracket without stmaryrd; MathJax gets the same macros from _config.yml.
PREAMBLE = r"""
\providecommand{\llbracket}{[\![}
\providecommand{\rrbracket}{]\!]}
\usepackage{newunicodechar}
""" + "".join(
    rf"\newunicodechar{{{c}}}{{\texorpdfstring{{{{\fallbackfont {c}}}}}{{{c}}}}}" + "\n"
    for c in FALLBACK
)


def pdf_config(base: dict) -> dict:
    """The book's build configuration with the PDF's settings merged in."""
    config = dict(base)
    config["execute"] = {**base.get("execute", {}), "cache": str(CACHE)}
    config["latex"] = {
        **base.get("latex", {}),
        "latex_engine": "xelatex",
        "use_jupyterbook_latex": False,
        "latex_documents": {"targetname": f"{NAME}.tex"},
    }
    sphinx = dict(base.get("sphinx", {}))
    # Paths of local extensions are read relative to the configuration file: make them absolute.
    local = {k: str((BOOK / v).resolve()) for k, v in sphinx.get("local_extensions", {}).items()}
    local["latex_pdf"] = str(BOOK / "_ext")
    sphinx["local_extensions"] = local
    cfg = dict(sphinx.get("config", {}))
    if "extensions" in cfg:
        cfg["extensions"] = [*cfg["extensions"], "latex_pdf"]
    # MyST-NB offers LaTeX only PDF, PNG and JPEG outputs: let it take the SVG figures too.
    cfg["nb_mime_priority_overrides"] = [["latex", "image/svg+xml", 15]]
    # makeindex (TeX Live's own) rather than xindy, a Debian package more.
    cfg["latex_use_xindy"] = False
    cfg["latex_elements"] = {
        "papersize": "a4paper",
        # A chapter starts on the next page, not the next odd one: no blank pages.
        "extraclassoptions": "openany,oneside",
        "fontpkg": FONTS,
        "preamble": PREAMBLE,
    }
    sphinx["config"] = cfg
    config["sphinx"] = sphinx
    return config


def run(cmd: list[str], log: Path, **kw) -> None:
    """Run ``cmd`` with its output in ``log``; on failure, show the end of the log and stop."""
    with log.open("w") as out:
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, **kw)
    if done.returncode:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise SystemExit(f"build_pdf: {' '.join(cmd[:3])} failed ({log}):\n{tail}")


def build() -> float:
    """Build the PDF; the time at which the LaTeX source was written."""
    generated = BOOK / "_config.generated.yml"
    if not generated.is_file() or not CACHE.is_dir() or not PDF.parent.is_dir():
        raise SystemExit("build_pdf: run `make book` first (configuration and execution cache)")
    missing = [c for c in TEX_COMMANDS if shutil.which(c) is None]
    if missing:
        raise SystemExit(f"build_pdf: {missing} not found: install the Debian packages in .ci/run")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    config = OUT / "_config.yml"
    base = yaml.safe_load(generated.read_text(encoding="utf-8"))
    config.write_text(yaml.safe_dump(pdf_config(base), sort_keys=False), encoding="utf-8")

    venv_bin = Path(sys.executable).parent
    sphinx_log = OUT / "sphinx.log"
    run(
        [
            sys.executable,
            str(BOOK / "jb_build.py"),
            "build",
            str(BOOK),
            "--config",
            str(config),
            "--path-output",
            str(OUT),
            "--builder",
            "latex",
            "-W",
            "-n",
            "--keep-going",
            "--all",
        ],
        sphinx_log,
        env={**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}"},
    )
    t_sphinx = time.perf_counter()
    executed = re.findall(r"Executing notebook.*", sphinx_log.read_text(errors="replace"))
    if executed:
        raise SystemExit(f"build_pdf: lessons executed again, not read from the cache: {executed}")

    tex = LATEX / f"{NAME}.tex"
    tex.write_text(structure(tex.read_text(encoding="utf-8")), encoding="utf-8")
    # Sphinx's Makefile runs latexmk with its own latexmkrc (XeLaTeX, makeindex).
    run(["make", "-C", str(LATEX), "all-pdf", "LATEXMKOPTS=-silent"], OUT / "latexmk.log")
    log = (LATEX / f"{NAME}.log").read_text(errors="replace")
    lost = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    if lost:
        raise SystemExit(f"build_pdf: characters missing from the fonts: {lost}")
    shutil.copyfile(LATEX / f"{NAME}.pdf", PDF)
    return t_sphinx


if __name__ == "__main__":
    t0 = time.perf_counter()
    t_tex = build() - t0
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True).stdout
    pages = re.search(r"Pages:\s+(\d+)", info)
    print(
        f"build_pdf: {PDF.relative_to(ROOT)} ({PDF.stat().st_size / 1e6:.1f} MB, "
        f"{pages.group(1) if pages else '?'} pages) in {time.perf_counter() - t0:.0f} s "
        f"(Sphinx {t_tex:.0f} s, XeLaTeX {time.perf_counter() - t0 - t_tex:.0f} s)"
    )
