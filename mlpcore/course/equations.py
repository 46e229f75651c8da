r"""The equation registry: every labelled equation of the course, tied to code, test and lesson.

Each :class:`Equation` records where the equation comes from in A. Azor's document (its
section), its LaTeX, the ``mlpcore`` function that implements it (whose docstring names the
label), the pytest node that verifies it, and the lesson that derives it in a labelled
``{math}`` block. ``tests/test_equations.py`` fails when any of these links is broken, or when
a lesson uses a label that is not registered here. :func:`index_markdown` renders the
registry as the book's "Equation index" page.

Some labels are the course's own (batch forms, the objective written out, the step-size
argument of the playground); their section says which part of the document they extend.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Equation:
    """One labelled equation and the four places it is tied to."""

    label: str  # the {math} label, "eq-..."
    section: str  # section of the document, "3.3"
    title: str  # a short name
    latex: str  # the equation in LaTeX, parts separated by \\ (no "|": it is a table cell)
    function: str  # dotted path of the implementing object, "mlpcore.backward.dB"
    test: str  # pytest node id, "tests/test_backward.py::test_..."
    lesson: str  # the lesson that defines the label, "notebooks/04_dB.md"


EQUATIONS: tuple[Equation, ...] = (
    Equation(
        "eq-g",
        "1.5",
        "g and g' act entry by entry",
        r"g(u) = [g(u_i)]_{i \in [\![1,n]\!]} \\ g'(u) = [g'(u_i)]_{i \in [\![1,n]\!]}",
        "mlpcore.activations.Activation",
        "tests/test_activations.py::test_elementwise_on_vectors_and_batches",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-h",
        "1.5",
        "one layer, h_k",
        r"h_k(b^{(k)}, w^{(k)}, a^{(k)}) = b^{(k)} + w^{(k)} a^{(k)}",
        "mlpcore.forward.h",
        "tests/test_forward.py::test_h_is_b_plus_w_a",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-Ltilde",
        "1.5",
        "the cost seen from layer k",
        r"\tilde L_0(\dots) \\ = L(y)\big(h_{p-1}(\dots\, g \circ h_0(b^{(0)}, w^{(0)}, x)"
        r"\dots)\big)",
        "mlpcore.gradcheck.loss_L0",
        "tests/test_equations_verified.py::test_Ltilde_0_is_the_nested_composition",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-Ltilde-rec",
        "1.5, 3.2",
        "the cost from layer k, recursively",
        r"\tilde L_k(\dots, z^{(k)}) \\ = \tilde L_{k+1}\big(\dots, h_k(b^{(k)}, w^{(k)}, "
        r"g(z^{(k)}))\big)",
        "mlpcore.gradcheck.numeric_dL",
        "tests/test_equations_verified.py::test_Ltilde_recursion",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-forward",
        "2",
        "forward propagation",
        r"a^{(0)} \leftarrow x \\ z^{(k+1)} \leftarrow w^{(k)} a^{(k)} + b^{(k)} \\ "
        r"a^{(k)} \leftarrow g(z^{(k)})",
        "mlpcore.forward.forward",
        "tests/test_forward.py::test_forward_equals_the_index_loop",
        "notebooks/02_forward.md",
    ),
    Equation(
        "eq-forward-batch",
        "2 (batch)",
        "forward propagation on columns",
        r"z^{(k+1)} \leftarrow w^{(k)} a^{(k)} + b^{(k)} \mathbf{1}_n^T \\ "
        r"a^{(0)} = X \in \mathbb{R}^{s_0 \times n}",
        "mlpcore.forward.forward",
        "tests/test_forward.py::test_a_batch_is_the_samples_side_by_side",
        "notebooks/02_forward.md",
    ),
    Equation(
        "eq-dL-def",
        "3.2",
        "definition of dL^(k)",
        r"D\tilde L_k(\dots)(0, \dots, 0, u) = dL^{(k)T} u \\ "
        r"dL^{(k)} = \frac{\partial \tilde L_k}{\partial z^{(k)}}",
        "mlpcore.gradcheck.numeric_dL",
        "tests/test_gradcheck.py::test_dL_is_the_derivative_of_L_k_with_respect_to_z_k",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dLp",
        "3.2",
        "dL at the output",
        r"dL^{(p)} = \nabla L(y)(z^{(p)})",
        "mlpcore.backward.dL",
        "tests/test_losses.py::test_gradient_is_the_derivative",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-chain",
        "3.2",
        "the chain rule through one layer",
        r"D\tilde L_k(\dots)(\dots, 0, 0, u) \\ = D\tilde L_{k+1}(\dots)(\dots, r) \\ "
        r"r = Dh_k(\dots)(0, 0, Dg(z^{(k)})(u))",
        "mlpcore.backward.dL",
        "tests/test_equations_verified.py::test_chain_rule_through_one_layer",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-Dg",
        "3.2",
        "the differential of g",
        r"Dg(v)(u) = \mathrm{diag}(g'(v))\, u = g'(v) \odot u",
        "mlpcore.activations.Activation",
        "tests/test_activations.py::test_g_prime_is_the_derivative_of_g",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-Dh-a",
        "3.2",
        "the differential of h_k in a",
        r"Dh_k(b^{(k)}, w^{(k)}, a^{(k)})(0_{s_{k+1}}, 0_{s_{k+1} \times s_k}, q) \\ = w^{(k)} q",
        "mlpcore.forward.h",
        "tests/test_equations_verified.py::test_Dh_in_a_is_w",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dLk",
        "3.2",
        "the backward recursion",
        r"dL^{(k)} = \mathrm{diag}(g'(z^{(k)}))\, w^{(k)T} dL^{(k+1)}",
        "mlpcore.backward.dL",
        "tests/test_gradcheck.py::test_dL_is_the_derivative_of_L_k_with_respect_to_z_k",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dLk-elementwise",
        "3.2",
        "the recursion, entry by entry",
        r"dL^{(k)}_i = g'(z^{(k)}_i) \sum_{j=1}^{s_{k+1}} w^{(k)}_{j,i}\, dL^{(k+1)}_j",
        "mlpcore.backward.dL",
        "tests/test_backward.py::test_vectorised_equals_the_index_loops",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-squared-error",
        "1.5 (a choice of L)",
        "squared error",
        r"L(y)(z) = \tfrac12 \lVert z - y \rVert^2 \\ \nabla L(y)(z) = z - y",
        "mlpcore.losses._squared_L",
        "tests/test_losses.py::test_squared_error_values",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-softmax-xent",
        "1.5 (a choice of L)",
        "softmax cross-entropy on z^(p)",
        r"L(y)(z) = -\sum_i y_i \log \mathrm{softmax}(z)_i \\ "
        r"\nabla L(y)(z) = \mathrm{softmax}(z) - y",
        "mlpcore.losses._xent_L",
        "tests/test_losses.py::test_softmax_cross_entropy_values",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dB",
        "3.3",
        "gradient with respect to the biases",
        r"\frac{\partial \tilde L_0}{\partial b_i^{(k)}} = (dL^{(k+1)})_i \\ "
        r"dB^{(k)} = dL^{(k+1)}",
        "mlpcore.backward.dB",
        "tests/test_backward.py::test_vectorised_equals_the_index_loops",
        "notebooks/04_dB.md",
    ),
    Equation(
        "eq-dB-batch",
        "3.3 (batch)",
        "dB for a batch of columns",
        r"dB^{(k)} = \sum_{m=1}^{n} dL^{(k+1)}_m = dL^{(k+1)} \mathbf{1}_n",
        "mlpcore.backward.dB",
        "tests/test_backward.py::test_batch_gradient_is_the_sum_of_per_sample_gradients",
        "notebooks/04_dB.md",
    ),
    Equation(
        "eq-dW",
        "3.4",
        "gradient with respect to the weights",
        r"\frac{\partial \tilde L_0}{\partial w_{i,j}^{(k)}} = g(z_j^{(k)}) (dL^{(k+1)})_i"
        r" \\ dW^{(k)} = dL^{(k+1)} g(z^{(k)})^T",
        "mlpcore.backward.dW",
        "tests/test_gradcheck.py::test_every_gradient_passes_central_differences",
        "notebooks/05_dW.md",
    ),
    Equation(
        "eq-dW0",
        "3.4",
        "weights of the first layer",
        r"dW^{(0)} = dL^{(1)} x^T",
        "mlpcore.backward.dW",
        "tests/test_equations_verified.py::test_dW0_is_dL1_times_x_transposed",
        "notebooks/05_dW.md",
    ),
    Equation(
        "eq-dW-batch",
        "3.4 (batch)",
        "dW for a batch: a sum of outer products",
        r"dW^{(k)} = \sum_{m=1}^{n} dL^{(k+1)}_m a^{(k)T}_m \\ = dL^{(k+1)} A^{(k)T}",
        "mlpcore.backward.dW",
        "tests/test_backward.py::test_batch_gradient_is_the_sum_of_per_sample_gradients",
        "notebooks/05_dW.md",
    ),
    Equation(
        "eq-objective",
        "3.1",
        "the objective: the mean cost",
        r"J = \frac{1}{N} \sum_{n=1}^{N} \tilde L_0(y_n, \dots, x_n)",
        "mlpcore.train.mean_loss",
        "tests/test_equations_verified.py::test_objective_is_the_mean_of_L0",
        "notebooks/06_training.md",
    ),
    Equation(
        "eq-update",
        "3.1",
        "one gradient-descent step",
        r"w^{(k)} \leftarrow w^{(k)} - \alpha\, dW^{(k)} \\ "
        r"b^{(k)} \leftarrow b^{(k)} - \alpha\, dB^{(k)}",
        "mlpcore.train.step",
        "tests/test_hand_example.py::test_one_step_matches_the_hand_computation",
        "notebooks/06_training.md",
    ),
    Equation(
        "eq-minibatch",
        "3.1 (mini-batch)",
        "a mini-batch step: the mean gradient",
        r"w^{(k)} \leftarrow w^{(k)} - \frac{\alpha}{m}\, dL^{(k+1)} A^{(k)T} \\ "
        r"b^{(k)} \leftarrow b^{(k)} - \frac{\alpha}{m}\, dL^{(k+1)} \mathbf{1}_m",
        "mlpcore.train.sgd",
        "tests/test_equations_verified.py::test_minibatch_step_uses_the_mean_gradient",
        "notebooks/06_training.md",
    ),
    Equation(
        "eq-step-contraction",
        "3.1 (step size)",
        "why a large α diverges",
        r"w - w^\star \leftarrow (1 - \alpha\lambda)(w - w^\star)",
        "mlpcore.train.step",
        "tests/test_equations_verified.py::test_step_contracts_a_quadratic",
        "notebooks/07_playground.md",
    ),
)

BY_LABEL: dict[str, Equation] = {e.label: e for e in EQUATIONS}


def resolve(dotted: str):
    """Import the object named by a dotted path such as ``"mlpcore.backward.dB"``.

    The longest importable module prefix is imported, then the rest is read as attributes
    (so ``"mlpcore.activations.Activation.__call__"`` works too).
    """
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(f"cannot import any module prefix of {dotted!r}")


def _lesson_doc(lesson: str) -> str:
    """The book's document name of a lesson: notebooks/04_dB.md -> notebooks/04_dB."""
    return lesson[:-3] if lesson.endswith(".md") else lesson


def index_markdown() -> str:
    """The book page "Equation index": one table row per registered equation (MyST)."""
    lines = [
        "# Equation index",
        "",
        "Every labelled equation of the course, with the section of A. Azor's document it comes",
        "from, the `mlpcore` function that implements it (its docstring names the label), the",
        "test that verifies it and the lesson that derives it. The page is generated from",
        "`mlpcore.equations` when the book is built; `tests/test_equations.py` fails if any of",
        "these links breaks. Sections in parentheses mark the course's own additions (batch",
        "forms, the step size) to the part of the document they extend.",
        "",
        # Long code (test node ids) may wrap, so that the table fits the page width.
        "<style>",
        ".bd-main .bd-content .bd-article-container { max-width: 100%; }",
        ".eq-index td:nth-child(4) code, .eq-index td:nth-child(4) span,",
        ".eq-index td:nth-child(5) code, .eq-index td:nth-child(5) span",
        "{ white-space: normal; overflow-wrap: anywhere; }",
        ".eq-index td { vertical-align: top; }",
        ".eq-index td:nth-child(1) span { white-space: normal; }",
        ".eq-index td:nth-child(4) { min-width: 7em; }",
        ".eq-index td:nth-child(5) { min-width: 10em; }",
        "</style>",
        "",
        "```{container} eq-index",
        "| Label | Section | Equation | Function | Test | Lesson |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in EQUATIONS:
        lesson = _lesson_doc(e.lesson)
        math = rf"\begin{{gathered}}{e.latex}\end{{gathered}}" if r"\\" in e.latex else e.latex
        lines.append(
            f"| {{eq}}`{e.label}` `{e.label}` | {e.section} | {e.title}: ${math}$ "
            f"| `{e.function}` | `{e.test}` | {{doc}}`{lesson.split('/')[-1]} <{lesson}>` |"
        )
    lines += ["```", ""]
    return "\n".join(lines)


__all__ = ["BY_LABEL", "EQUATIONS", "Equation", "index_markdown", "resolve"]
