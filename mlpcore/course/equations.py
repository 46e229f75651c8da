r"""The equation registry: every labelled equation of the course, tied to code, test and lesson.

Each :class:`Equation` records where the equation comes from in A. Azor's document (its
section), its LaTeX, the ``mlpcore`` function that implements it (whose docstring names the
label) and the lesson that derives it in a labelled ``{math}`` block. The test that verifies
each label is named in ``tests/equation_tests.py``, beside the tests (it is not shipped);
``tests/test_equations.py`` fails when any of these links is broken, or when a lesson uses a
label that is not registered here. The book renders the registry as its "Equation index" page
(``book/build_pages.py``).

Some labels are the course's own (batch forms, the objective written out, the step-size
argument of the playground); their section says which part of the document they extend.

(About 270 lines, most of them data: one entry of seven fields per labelled equation.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Equation:
    """One labelled equation and the places it is tied to."""

    label: str  # the {math} label, "eq-..."
    section: str  # section of the document, "3.3"
    title: str  # a short name (MyST: inline math between $...$)
    latex: str  # the equation in LaTeX, parts separated by \\ (no "|": it is a table cell)
    function: str  # dotted path of the implementing object, "mlpcore.backward.dB"
    lesson: str  # the lesson that defines the label, "notebooks/04_dB.md"


EQUATIONS: tuple[Equation, ...] = (
    Equation(
        "eq-g",
        "1.5",
        "$g$ and $g'$ act entry by entry",
        r"g(u) = [g(u_i)]_{i \in [\![1,n]\!]} \\ g'(u) = [g'(u_i)]_{i \in [\![1,n]\!]}",
        "mlpcore.activations.Activation",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-h",
        "1.5",
        "one layer, $h_k$",
        r"h_k(b^{(k)}, w^{(k)}, a^{(k)}) = b^{(k)} + w^{(k)} a^{(k)}",
        "mlpcore.forward.h",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-Ltilde",
        "1.5",
        "the cost seen from layer $k$",
        r"\tilde L_0(\dots) \\ = L(y)\big(h_{p-1}(\dots\, g \circ h_0(b^{(0)}, w^{(0)}, x)"
        r"\dots)\big)",
        "mlpcore.gradcheck.loss_L0",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-Ltilde-rec",
        "1.5, 3.2",
        "the cost from layer $k$, recursively",
        r"\tilde L_k(\dots, z^{(k)}) \\ = \tilde L_{k+1}\big(\dots, h_k(b^{(k)}, w^{(k)}, "
        r"g(z^{(k)}))\big)",
        "mlpcore.gradcheck.numeric_dL",
        "notebooks/01_notation.md",
    ),
    Equation(
        "eq-forward",
        "2",
        "forward propagation",
        r"a^{(0)} \leftarrow x \\ z^{(k+1)} \leftarrow w^{(k)} a^{(k)} + b^{(k)} \\ "
        r"a^{(k)} \leftarrow g(z^{(k)})",
        "mlpcore.forward.forward",
        "notebooks/02_forward.md",
    ),
    Equation(
        "eq-forward-batch",
        "2 (batch)",
        "forward propagation on columns",
        r"z^{(k+1)} \leftarrow w^{(k)} a^{(k)} + b^{(k)} \mathbf{1}_n^T \\ "
        r"a^{(0)} = X \in \mathbb{R}^{s_0 \times n}",
        "mlpcore.forward.forward",
        "notebooks/02_forward.md",
    ),
    Equation(
        "eq-dL-def",
        "3.2",
        "definition of $dL^{(k)}$",
        r"D\tilde L_k(\dots)(0, \dots, 0, u) = dL^{(k)T} u \\ "
        r"dL^{(k)} = \frac{\partial \tilde L_k}{\partial z^{(k)}}",
        "mlpcore.gradcheck.numeric_dL",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dLp",
        "3.2",
        "$dL^{(p)}$ at the output",
        r"dL^{(p)} = \nabla L(y)(z^{(p)})",
        "mlpcore.backward.dL",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-chain",
        "3.2",
        "the chain rule through one layer",
        r"D\tilde L_k(\dots)(\dots, 0, 0, u) \\ = D\tilde L_{k+1}(\dots)(\dots, r) \\ "
        r"r = Dh_k(\dots)(0, 0, Dg(z^{(k)})(u))",
        "mlpcore.backward.dL",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-Dg",
        "3.2",
        "the differential of $g$",
        r"Dg(v)(u) = \mathrm{diag}(g'(v))\, u = g'(v) \odot u",
        "mlpcore.activations.Activation",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-Dh-a",
        "3.2",
        "the differential of $h_k$ in $a$",
        r"Dh_k(b^{(k)}, w^{(k)}, a^{(k)})(0_{s_{k+1}}, 0_{s_{k+1} \times s_k}, q) \\ = w^{(k)} q",
        "mlpcore.forward.h",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dLk",
        "3.2",
        "the backward recursion",
        r"dL^{(k)} = \mathrm{diag}(g'(z^{(k)}))\, w^{(k)T} dL^{(k+1)}",
        "mlpcore.backward.dL",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dLk-elementwise",
        "3.2",
        "the recursion, entry by entry",
        r"dL^{(k)}_i = g'(z^{(k)}_i) \sum_{j=1}^{s_{k+1}} w^{(k)}_{j,i}\, dL^{(k+1)}_j",
        "mlpcore.backward.dL",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-squared-error",
        "1.5 (a choice of L)",
        "squared error",
        r"L(y)(z) = \tfrac12 \lVert z - y \rVert^2 \\ \nabla L(y)(z) = z - y",
        "mlpcore.losses._squared_L",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-softmax-xent",
        "1.5 (a choice of L)",
        "softmax cross-entropy on $z^{(p)}$",
        r"L(y)(z) = -\sum_i y_i \log \mathrm{softmax}(z)_i \\ "
        r"\nabla L(y)(z) = \mathrm{softmax}(z) - y",
        "mlpcore.losses._xent_L",
        "notebooks/03_dL.md",
    ),
    Equation(
        "eq-dB",
        "3.3",
        "gradient with respect to the biases",
        r"\frac{\partial \tilde L_0}{\partial b_i^{(k)}} = (dL^{(k+1)})_i \\ "
        r"dB^{(k)} = dL^{(k+1)}",
        "mlpcore.backward.dB",
        "notebooks/04_dB.md",
    ),
    Equation(
        "eq-dB-batch",
        "3.3 (batch)",
        "$dB^{(k)}$ for a batch of columns",
        r"dB^{(k)} = \sum_{m=1}^{n} dL^{(k+1)}_{[m]} = dL^{(k+1)} \mathbf{1}_n",
        "mlpcore.backward.dB",
        "notebooks/04_dB.md",
    ),
    Equation(
        "eq-dW",
        "3.4",
        "gradient with respect to the weights",
        r"\frac{\partial \tilde L_0}{\partial w_{i,j}^{(k)}} = g(z_j^{(k)}) (dL^{(k+1)})_i"
        r" \\ dW^{(k)} = dL^{(k+1)} g(z^{(k)})^T",
        "mlpcore.backward.dW",
        "notebooks/05_dW.md",
    ),
    Equation(
        "eq-dW0",
        "3.4",
        "weights of the first layer",
        r"dW^{(0)} = dL^{(1)} x^T",
        "mlpcore.backward.dW",
        "notebooks/05_dW.md",
    ),
    Equation(
        "eq-dW-batch",
        "3.4 (batch)",
        "$dW^{(k)}$ for a batch: a sum of outer products",
        r"dW^{(k)} = \sum_{m=1}^{n} dL^{(k+1)}_{[m]} a^{(k)T}_{[m]} \\ = dL^{(k+1)} a^{(k)T}",
        "mlpcore.backward.dW",
        "notebooks/05_dW.md",
    ),
    Equation(
        "eq-objective",
        "3.1",
        "the objective: the mean cost",
        r"J = \frac{1}{N} \sum_{m=1}^{N} \tilde L_0(y_{[m]}, \dots, x_{[m]})",
        "mlpcore.train.mean_loss",
        "notebooks/06_training.md",
    ),
    Equation(
        "eq-update",
        "3.1",
        "one gradient-descent step",
        r"w^{(k)} \leftarrow w^{(k)} - \alpha\, dW^{(k)} \\ "
        r"b^{(k)} \leftarrow b^{(k)} - \alpha\, dB^{(k)}",
        "mlpcore.train.step",
        "notebooks/06_training.md",
    ),
    Equation(
        "eq-minibatch",
        "3.1 (mini-batch)",
        "a mini-batch step: the mean gradient",
        r"w^{(k)} \leftarrow w^{(k)} - \frac{\alpha}{n}\, dL^{(k+1)} a^{(k)T} \\ "
        r"b^{(k)} \leftarrow b^{(k)} - \frac{\alpha}{n}\, dL^{(k+1)} \mathbf{1}_n",
        "mlpcore.train.sgd",
        "notebooks/06_training.md",
    ),
    Equation(
        "eq-dL-unrolled",
        "3.2 (unrolled)",
        "the recursion as one product of factors",
        r"dL^{(k)} = \Big[\prod_{l=k}^{p-1} \mathrm{diag}(g'(z^{(l)}))\, w^{(l)T}\Big] dL^{(p)}",
        "mlpcore.course.depth.unrolled_dL",
        "notebooks/07_depth.md",
    ),
    Equation(
        "eq-depth-gain",
        "3.2 (depth)",
        "the size of one factor",
        r"\lVert dL^{(k)} \rVert^2 / \lVert dL^{(k+1)} \rVert^2 \approx s_k \sigma_k^2\, "
        r"\overline{g'(z^{(k)})^2}",
        "mlpcore.course.depth.layer_gain",
        "notebooks/07_depth.md",
    ),
    Equation(
        "eq-init-variance",
        "3.2 (initialisation)",
        "the variance of the initial weights",
        r"\sigma_k^2 = 1 \text{ (naive)} \\ \sigma_k^2 = 2 / (s_k + s_{k+1}) \text{ (Xavier)} "
        r"\\ \sigma_k^2 = 2 / s_k \text{ (He)}",
        "mlpcore.course.depth.init_variance",
        "notebooks/07_depth.md",
    ),
    Equation(
        "eq-step-contraction",
        "3.1 (step size)",
        r"why a large $\alpha$ diverges",
        r"w - w^\star \leftarrow (1 - \alpha\lambda)(w - w^\star)",
        "mlpcore.train.step",
        "notebooks/08_playground.md",
    ),
)

BY_LABEL: dict[str, Equation] = {e.label: e for e in EQUATIONS}


__all__ = ["BY_LABEL", "EQUATIONS", "Equation"]
