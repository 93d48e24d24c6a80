using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Training.Tensors;

/// <summary>
/// Tensor additions with a rooted <c>alpha</c> Scalar. TorchSharp's <c>a + b</c> and <c>a.add_(b)</c> create a temporary
/// Scalar(1) and pass only its raw handle to native code, so the garbage collector may finalise it during the call
/// (seen as "Unknown scalar type" crashes in long runs with a busy data loader). The Scalars here are static and
/// never collected; hot paths use these helpers instead of the operators.
/// </summary>
public static class TensorMath
{
    private static readonly Scalar s_one = 1.0.ToScalar();
    private static readonly Scalar s_minusOne = (-1.0).ToScalar();
    private static readonly Scalar s_integerOne = 1L.ToScalar();
    private static readonly Scalar s_integerMinusOne = (-1L).ToScalar();

    /// <summary>a + b (new tensor).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One(a));

    /// <summary>a − b (new tensor).</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.add(b, MinusOne(a));

    /// <summary>a += b in place; returns a.</summary>
    public static Tensor AddInPlace(this Tensor a, Tensor b) => a.add_(b, One(a));

    // libtorch rejects a floating-point alpha for integral tensors.
    private static Scalar One(Tensor t) => torch.is_integral(t.dtype) ? s_integerOne : s_one;

    private static Scalar MinusOne(Tensor t) => torch.is_integral(t.dtype) ? s_integerMinusOne : s_minusOne;
}
