"""MyST markdown to the plain Markdown that every Jupyter front end renders (Colab, classic
Notebook, VS Code, GitHub's preview), and the removal of solutions.

Only what the lessons use is translated, and anything else fails loudly, so that a new
directive or role cannot reach a student notebook as raw text:

- a ``{math}`` block becomes ``$$ … \\tag{3.2} $$``, numbered as the book numbers it;
- ``{eq}`label``` becomes the equation's number, ``(3.2)``;
- ``{doc}`09_errata``` becomes a Markdown link to that lesson's notebook;
- ``{exercise}`` and admonitions (``{note}``, ``{warning}``, ...) become quoted blocks;
- ``(label)=`` targets are dropped.

``strip_solutions`` removes each ``{solution-start}`` … ``{solution-end}`` region, the code
cells inside it included.
"""

from __future__ import annotations

import re

# A directive: ```{name} argument, then :option: lines, then its body, up to the closing fence.
DIRECTIVE = re.compile(
    r"^(?P<fence>```|:::)\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>[^\n]*)\n"
    r"(?P<options>(?::[\w-]+:[^\n]*\n)*)"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<text>[^`]*)`")
TARGET = re.compile(r"^\([\w-]+\)=[ \t]*\n", re.M)
OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$", re.M)
SOLUTION_MARK = re.compile(
    r"^```\{(?P<kind>solution-start|solution-end)\}[^\n]*\n(?::[\w-]+:[^\n]*\n)*```[ \t]*\n?",
    re.M,
)
ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "seealso": "See also",
}


def number_labels(lessons: list[tuple[str | None, str]], directive: str) -> dict[str, str]:
    """Label -> number of every labelled ``directive`` block, as the book numbers them.

    ``lessons`` lists (chapter number or None, MyST text) in book order. Blocks are counted per
    lesson: "3.2" is the second block of chapter 3; an unnumbered page counts "1", "2", ...
    """
    numbers = {}
    for chapter, text in lessons:
        index = 0
        for match in DIRECTIVE.finditer(text):
            if match["name"] != directive:
                continue
            index += 1
            label = dict(OPTION.findall(match["options"])).get("label")
            if label:
                numbers[label] = f"{chapter}.{index}" if chapter is not None else str(index)
    return numbers


def quote(title: str, body: str) -> str:
    """A Markdown block quote headed by a bold title."""
    lines = [f"**{title}**", ""] + body.strip("\n").splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines)


def to_plain(text: str, equations: dict, exercises: dict, docs: dict) -> str:
    """The plain-Markdown form of one markdown cell of a MyST lesson.

    ``equations`` and ``exercises`` map labels to numbers (:func:`number_labels`); ``docs``
    maps a lesson's name (``09_errata``) to (title, notebook file name).
    """

    def directive(m: re.Match) -> str:
        name, options = m["name"], dict(OPTION.findall(m["options"]))
        body = m["body"].strip("\n")
        if name == "math":
            label = options.get("label")
            if label not in equations:
                raise ValueError(f"{{math}} block with no known label: {label!r}")
            return f"$$\n{body} \\tag{{{equations[label]}}}\n$$"
        if name == "exercise":
            label = options.get("label")
            if label not in exercises:
                raise ValueError(f"{{exercise}} with no known label: {label!r}")
            return quote(f"Exercise {exercises[label]}", body)
        if name in ADMONITIONS:
            return quote(ADMONITIONS[name], body)
        if name == "admonition":
            return quote(m["arg"].strip(), body)
        raise ValueError(f"no plain-Markdown form for the directive {{{name}}}")

    def role(m: re.Match) -> str:
        name, target = m["name"], m["text"]
        if name == "eq":
            if target not in equations:
                raise ValueError(f"{{eq}} reference to an unknown equation: {target!r}")
            return f"({equations[target]})"
        text, _, inner = target.partition("<")
        if name == "doc":
            key = (inner.rstrip(">") or text).strip().split("/")[-1]
            if key in docs:
                title, file = docs[key]
                return f"[{text.strip() if inner else title}]({file})"
            if not inner:  # a page of the book that is not a lesson: no file to link to here
                raise ValueError(f"{{doc}} reference to an unknown lesson: {target!r}")
            return f"the {text.strip()} of the book"
        if name == "math":
            return f"${target}$"
        if name == "term":  # a glossary entry: the book links it, a notebook keeps the words
            return text.strip()
        if name == "ref":  # an exercise by number; another anchor by its words
            label = (inner.rstrip(">") or text).strip()
            if not inner and label in exercises:
                return f"Exercise {exercises[label]}"
            if not inner:
                raise ValueError(f"{{ref}} to an unknown target: {target!r}")
            return text.strip()
        if name == "glue:text":  # a number computed by a cell: the notebook shows it there
            return f"`{target.split(':')[0]}` (the value a cell above computes)"
        raise ValueError(f"no plain-Markdown form for the role {{{name}}}")

    text = TARGET.sub("", text)
    text = DIRECTIVE.sub(directive, text)
    return ROLE.sub(role, text)


def strip_solutions(cells: list) -> list:
    """The cells without their solutions: each ``{solution-start}`` … ``{solution-end}`` region
    goes, the code cells inside it included. Cells are nbformat cells (``cell_type``,
    ``source``); markdown cells that keep text are copied with the text left outside regions.
    """
    out, inside = [], False
    for cell in cells:
        if cell.cell_type != "markdown":
            if not inside:
                out.append(cell)
            continue
        kept, pos = [], 0
        for m in SOLUTION_MARK.finditer(cell.source):
            starts = m["kind"] == "solution-start"
            if starts == inside:
                raise ValueError(f"unbalanced {m['kind']} in: {cell.source[:80]!r}")
            if not inside:
                kept.append(cell.source[pos : m.start()])
            inside, pos = starts, m.end()
        if not inside:
            kept.append(cell.source[pos:])
        text = "".join(kept).strip()
        if text:
            copy = cell.copy()
            copy.source = text
            out.append(copy)
    if inside:
        raise ValueError("a {solution-start} has no {solution-end}")
    return out
