namespace Nas.Onnx.Graphs;

/// <summary>How a Resize maps output to input coordinates (PyTorch's interpolate equivalents).</summary>
public enum ResizeMode
{
    /// <summary>Bilinear, <c>align_corners=True</c> (ONNX coordinate mode <c>align_corners</c>).</summary>
    BilinearAlignCorners,

    /// <summary>Bilinear, <c>align_corners=False</c> (ONNX <c>half_pixel</c>).</summary>
    BilinearHalfPixel,

    /// <summary>Nearest neighbour (ONNX <c>asymmetric</c> + <c>floor</c>, PyTorch's 'nearest').</summary>
    Nearest,
}
