"""One notation everywhere: the batch symbols of the glossary's table, in every lesson.

The table (book/glossary.md, "Batches: one table of symbols") gives each symbol one role:
n counts the samples of a batch, m indexes them, N is the size of a training set, a sample's
own quantities carry the subscript [m], batch matrices keep the document's lower-case letters,
i and j index neurons, and u is a direction. This test fails when a lesson writes a form that
the table rules out, as far as a pattern can tell: in the prose and math of the lessons, in
their code, and in the LaTeX of the equation registry. It also checks that every lesson links
the glossary, that every term it links exists, and that the introduction and the README map
the document's sections to the lessons.
"""

import re
from pathlib import Path

import jupytext
import pytest

from mlpcore.course.equations import EQUATIONS

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "notebooks").glob("*.md") if p.name != "README.md")
GLOSSARY = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")

# (pattern, what the table says instead): searched in markdown cells, math included.
PROSE_RULES = [
    (r"(?<![\w\\])[AZ]\^\{\(", "batch matrices keep the document's letters: a^(k), z^(k)"),
    (r"\\sum_\{n\b", "n counts the samples; the index is m"),
    (r"\bn \\in B\b", "n counts the samples; the index is m"),
    (r"(?<![\w\\])[xy]_\{?n\}?(?![\w{])", "sample m's input is x_[m]; n counts the samples"),
    (r"(?<![\w\\])[xy]_\{?m\}?(?![\w{\[])", "sample m's input is x_[m] (x_m is entry m of x)"),
    (r"\\frac\{\\alpha\}\{m\}", "the batch has n samples: α/n"),
    (r"\\mathbf\s?\{?1\}?_\{?m\b", "the vector of ones of a batch is 1_n"),
    (r"s_\{?[\w+]+\}?\s?\\times m\}", "a batch matrix is s_k × n"),
    (r"sample \$j\$", "j indexes neurons; samples are indexed by m"),
    (r"\$u \\approx", "u is a direction; the unit roundoff is ρ"),
    (r"(?<![\w\\])u\\,\|", "u is a direction; the unit roundoff is ρ"),
]
# The same roles in the lessons' code, where the names follow the math.
CODE_RULES = [
    (r"^\s*for n in ", "n counts the samples; loop over m"),
    (r"\[:, ?n\]", "n counts the samples; column m is X[:, m]"),
    (r"\[:, ?j\]", "j indexes neurons; column m is X[:, m]"),
    (r"^\s*m = .*shape\[1\]", "m indexes samples; the count is n"),
    (r"batch_size=m\b", "the batch size is n"),
]


def cells(path):
    notebook = jupytext.read(path)
    prose = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    return prose, code


def violations(text, rules):
    found = []
    for pattern, role in rules:
        for match in re.finditer(pattern, text, flags=re.MULTILINE):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"line {line}: {match.group(0)!r} ({role})")
    return found


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_the_lesson_uses_the_table_s_roles(lesson):
    prose, code = cells(lesson)
    found = violations(prose, PROSE_RULES) + violations(code, CODE_RULES)
    assert not found, f"{lesson.name}: " + "; ".join(found)


def test_the_equation_registry_uses_the_table_s_roles():
    found = [f"{e.label}: {v}" for e in EQUATIONS for v in violations(e.latex, PROSE_RULES)]
    assert not found, "; ".join(found)


@pytest.mark.parametrize(
    "text, rules",
    [
        (r"$dL^{(k+1)} A^{(k)T}$", PROSE_RULES),
        (r"\frac{1}{N} \sum_{n=1}^{N} L(y_n)", PROSE_RULES),
        (r"$\frac{\alpha}{m} dL^{(k+1)} \mathbf 1_m$", PROSE_RULES),
        (r"the error $u\,|\tilde L|$ with $u \approx 1.1e-16$", PROSE_RULES),
        ("for n in range(m):\n    X[:, n]", CODE_RULES),
        ("m = X_B.shape[1]", CODE_RULES),
    ],
)
def test_the_rules_catch_the_old_drift(text, rules):
    assert violations(text, rules)


def test_the_rules_allow_the_table_s_forms():
    allowed = (
        r"$\sum_{m=1}^{n} dL^{(k+1)}_{[m]} = dL^{(k+1)} \mathbf{1}_n$, $x_{[m]}$, "
        r"$\frac{\alpha}{n}\, dL^{(k+1)} a^{(k)T}$, $A^T$, $0_{n,m}$, $E_{i,j}^{n\times m}$, "
        r"$\rho\,|\tilde L_k|$, $D f(v)(u)$"
    )
    assert not violations(allowed, PROSE_RULES)
    assert not violations("for m in range(n):\n    X[:, m]\nn = X_B.shape[1]", CODE_RULES)


def glossary_terms():
    blocks = re.findall(r"```\{glossary\}\n(.*?)```", GLOSSARY, flags=re.DOTALL)
    return {line.strip() for block in blocks for line in block.splitlines() if line[:1].isalpha()}


def test_the_glossary_has_the_batch_table():
    assert "(batch-notation)=" in GLOSSARY
    table = GLOSSARY[GLOSSARY.index("(batch-notation)=") :]
    for symbol in ("$n$", "$m$", "$N$", r"$\cdot_{[m]}$", "$X$, $Y$", r"$\mathbf{1}_n$"):
        assert f"\n| {symbol} |" in table, f"the batch table has no row for {symbol}"
    assert r"$A^{(k)}$" in table and "Never written" in table
    assert {"batch", "sample count", "sample index", "training set size"} <= glossary_terms()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_the_lesson_links_the_glossary(lesson):
    text = lesson.read_text(encoding="utf-8")
    terms = re.findall(r"\{term\}`([^`]*)`", text)
    linked = terms or re.findall(r"\{doc\}`[^`]*<\.\./glossary>`", text)
    assert linked, f"{lesson.name} never links the glossary"
    known = glossary_terms()
    for term in terms:
        target = re.sub(r"^.*<(.*)>$", r"\1", term).strip()
        assert target in known, f"{lesson.name} links {target!r}, which the glossary lacks"
    prose, _ = cells(lesson)
    if re.search(r"\\times n\}", prose):  # a lesson with batch matrices links the table
        assert "batch-notation" in text, f"{lesson.name} has batches but no link to the table"


def test_the_intro_and_the_readme_map_sections_to_lessons():
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(section-map)=" in intro
    for lesson in LESSONS:
        assert f"{{doc}}`notebooks/{lesson.stem}`" in intro, f"the intro's map lacks {lesson.stem}"
        assert f"`{lesson.stem}`" in readme, f"the README lacks {lesson.stem}"
    for section in ("3.1", "3.2", "3.3", "3.4"):
        assert f"| {section} " in intro and f"| §{section} " in readme


# A glossary term and the symbol that names it in the lessons' math.
SYMBOLS = {
    "weights": r"w\^\{\(k\)\}",
    "biases": r"b\^\{\(k\)\}",
    "pre-activation": r"z\^\{\(k\)\}",
    "activation value": r"a\^\{\(k\)\}",
    "backpropagated error": r"dL\^\{\(k\)\}",
    "bias gradient": r"dB\^\{\(k\)\}",
    "weight gradient": r"dW\^\{\(k\)\}",
    "learning rate": r"\\alpha\b",
    "partial loss": r"\\tilde L",
    "layer size": r"s_k\b",
    "batch": r"\\times n\}",
}


def paragraphs(prose):
    """The lesson's prose cut at blank lines, without headings (their anchors stay as they are),
    display equations, tables and directives, where a link cannot go."""
    skip = ("$$", "```", "|", "#", ":::", "<!--")
    parts = (p.strip() for p in re.split(r"\n\s*\n", prose))
    return [p for p in parts if p and not p.startswith(skip)]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_each_symbol_links_the_glossary_at_its_first_use(lesson):
    prose, _ = cells(lesson)
    parts = paragraphs(prose)
    missing = []
    for term, symbol in SYMBOLS.items():
        uses = [i for i, part in enumerate(parts) if re.search(symbol, part)]
        if not uses:
            continue
        link = re.compile(r"\{term\}`(?:[^`<]*<)?" + re.escape(term) + r">?`")
        links = [i for i, part in enumerate(parts) if link.search(part)]
        if not links or min(links) > uses[0]:  # linked at the first use, or before it
            missing.append(f"{term} (first used in: {parts[uses[0]][:60]!r})")
    assert not missing, f"{lesson.name}: " + "; ".join(missing)
