namespace Nas.Core.Graphs;

/// <summary>Interpolation of <see cref="Nodes.ResizeNode"/>.</summary>
public enum ResizeMode
{
    /// <summary>PyTorch's 'nearest' (ONNX asymmetric + floor).</summary>
    Nearest,

    /// <summary>Bilinear; see <see cref="Nodes.ResizeNode.AlignCorners"/>.</summary>
    Bilinear,
}
