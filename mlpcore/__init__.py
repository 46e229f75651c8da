"""mlpcore: forward and backward propagation of a multilayer perceptron, in the notation of
A. Azor, *Théorie mathématique pour les forwardpropagation et backpropagation* (2022).

Names are the document's: ``w[k]`` (s[k+1], s[k]), ``b[k]`` (s[k+1],), ``z[k]`` for k = 1..p,
``a[k]`` for k = 0..p-1, ``dL[k]`` for k = 1..p. Samples are columns: X has shape (s_0, n).
The code is written to be read next to the document first, and to be fast second.
"""

from .activations import ACTIVATIONS, Activation, get_activation, identity, relu, sigmoid, tanh
from .backward import backward, dB, dL, dW
from .data import DataSet, one_hot, rows_to_columns
from .forward import Trace, forward, h
from .gradcheck import gradcheck, numeric_dL, numeric_gradients, relative_error
from .io import load, save
from .losses import LOSSES, Loss, get_loss, softmax, softmax_cross_entropy, squared_error
from .network import Network, init_params
from .train import DivergenceError, History, mean_loss, sgd, step

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "DataSet",
    "DivergenceError",
    "History",
    "LOSSES",
    "Loss",
    "Network",
    "Trace",
    "backward",
    "dB",
    "dL",
    "dW",
    "forward",
    "get_activation",
    "get_loss",
    "gradcheck",
    "h",
    "identity",
    "init_params",
    "load",
    "mean_loss",
    "numeric_dL",
    "numeric_gradients",
    "one_hot",
    "relative_error",
    "relu",
    "rows_to_columns",
    "save",
    "sgd",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy",
    "squared_error",
    "step",
    "tanh",
]
