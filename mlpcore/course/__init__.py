"""What only the lessons need, beside the library: exercises, figures and the playground.

``mlpcore`` itself (the mathematics, training, data, io and gradient checks) never imports this
subpackage. It ships in the same wheel so that one install line gives a student both, but its
modules need the ``student`` extra (matplotlib, ipywidgets, tqdm, scikit-learn):

* :mod:`mlpcore.course.exercises` -- the self-checking exercises, one module per lesson;
* :mod:`mlpcore.course.figures` -- the lessons' figures (network diagram, loss curve, boundary);
* :mod:`mlpcore.course.figure_output` -- a figure as the book shows it (SVG, alt text, sizes);
* :mod:`mlpcore.course.playground` -- lesson 08's playground (runs, figures, app);
* :mod:`mlpcore.course.equations` -- the registry of labelled equations and their code;
* :mod:`mlpcore.course.depth` -- lesson 07's measurements of dL^(k) across depth and init;
* :mod:`mlpcore.course.glue` -- numbers computed by a cell and quoted in the prose.
"""
