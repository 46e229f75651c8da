"""The site's structure in the LaTeX source of the book's PDF (book/build_pdf.py applies it).

Sphinx's LaTeX of a Jupyter Book numbers every chapter, the introduction's sections included, so
lesson 1 was chapter 6 and its equations (6.x) where the site says (1.x). :func:`structure`
rewrites the ``.tex`` that Sphinx wrote, between its chapters (each found by its ``DOC::doc``
label), and fails loudly when a chapter it expects is not there.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

BOOK = Path(__file__).resolve().parent


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
