namespace Nas.Core.Graphs;

/// <summary>Parameter-free activations of <see cref="Nodes.ActivationNode"/> (PReLU has its own node).</summary>
public enum ActivationFunction
{
    Relu,
    Relu6,
    Sigmoid,

    /// <summary>relu6(x + 3) / 6, PyTorch's <c>Hardsigmoid</c>.</summary>
    HardSigmoid,

    /// <summary>x · relu6(x + 3) / 6, PyTorch's <c>Hardswish</c>.</summary>
    HardSwish,
    Tanh,
}
