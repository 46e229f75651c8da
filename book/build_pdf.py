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


def toc_chapters() -> list[tuple[str, str | None, bool]]:
    """(document, caption of the part it opens or None, numbered) in the order of _toc.yml."""
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    chapters = []
    for part in toc.get("parts", []):
        for i, chapter in enumerate(part.get("chapters", [])):
            caption = part.get("caption") if i == 0 else None
            chapters.append((chapter["file"], caption, bool(part.get("numbered"))))
    return chapters


def structure(tex: str) -> str:
    """The site's structure in the LaTeX: the introduction's sections unnumbered, a part per
    caption of _toc.yml, the numbered part's chapters numbered from 1 as on the site (so the
    equations carry the site's numbers, (3.5) is (3.5)), the other chapters unnumbered with
    their equations numbered (1), (2)... as on the site."""
    start = "\\phantomsection\\label{\\detokenize{intro::doc}}"
    if start not in tex:
        raise SystemExit("build_pdf: the introduction's label is not in the LaTeX")
    tex = tex.replace(
        start,
        "\\let\\chapterequation\\theequation\\setcounter{secnumdepth}{-1}\n" + start,
        1,
    )
    first_numbered = True
    for i, (doc, caption, numbered) in enumerate(toc_chapters()):
        head = re.compile(
            r"(\\chapter\{[^\n]*\n)(\\label\{\\detokenize\{[^\n]*" + re.escape(doc + "::doc") + ")"
        )
        if not head.search(tex):
            raise SystemExit(f"build_pdf: no chapter for {doc} in the LaTeX")
        before = ""
        if caption:
            before += f"\\setcounter{{secnumdepth}}{{-2}}\\part{{{caption}}}\n"
        if numbered:
            before += "\\setcounter{secnumdepth}{2}\\let\\theequation\\chapterequation\n"
            if first_numbered:
                before += "\\setcounter{chapter}{0}\n"
                first_numbered = False
        else:
            before += (
                "\\setcounter{secnumdepth}{-1}\\setcounter{equation}{0}"
                "\\renewcommand{\\theequation}{\\arabic{equation}}"
                # hyperref's anchor of an equation, unique to this chapter
                f"\\renewcommand{{\\theHequation}}{{u{i}.\\arabic{{equation}}}}\n"
            )
        tex = head.sub(lambda m, b=before: b + m.group(1) + m.group(2), tex, count=1)
    return open_solutions(exercise_labels(tex))


def open_solutions(tex: str) -> str:
    """Each solution as a titled block under its exercise, not a box: a code block inside a box
    is itself a box that cannot break across pages, and a long solution's code ran off its page."""
    begin = re.compile(r"\\begin\{sphinxadmonition\}\{note\}\{(Solution to [^}]*)\}")
    out, pos = [], 0
    for m in begin.finditer(tex):
        if m.start() < pos:
            continue
        end = tex.index(r"\end{sphinxadmonition}", m.end())
        if r"\begin{sphinxadmonition}" in tex[m.end() : end]:
            raise SystemExit(f"build_pdf: a box inside {m.group(1)}: cannot open it")
        out += [
            tex[pos : m.start()],
            f"\\par\\medskip\\noindent\\textbf{{{m.group(1)}}}\\par\\nopagebreak",
            tex[m.end() : end],
            "\\par\\noindent\\rule{\\linewidth}{0.4pt}\\par\\medskip",
        ]
        pos = end + len(r"\end{sphinxadmonition}")
    return "".join(out) + tex[pos:]


def exercise_labels(tex: str) -> str:
    """sphinx-exercise labels an exercise ``exercise:NAME`` in LaTeX, where a ``{ref}`` to it
    points at ``DOC:NAME``: give each referenced exercise that label too, carrying its number."""
    targets = dict(
        (name, doc) for doc, name in re.findall(r"\\ref\{\\detokenize\{([^}:]+):([^}:]+)\}\}", tex)
    )
    pattern = re.compile(
        r"\\label\{exercise:([^}]+)\}(\s*\\begin\{sphinxadmonition\}\{note\}\{Exercise (\d+))"
    )

    def alias(m: re.Match) -> str:
        name, rest, number = m.group(1), m.group(2), m.group(3)
        if name not in targets:
            return m.group(0)
        return (
            f"\\label{{exercise:{name}}}\\expandafter\\def\\csname @currentlabel\\endcsname"
            f"{{{number}}}\\label{{\\detokenize{{{targets[name]}:{name}}}}}{rest}"
        )

    return pattern.sub(alias, tex)


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
