namespace Nas.Core.Graphs;

/// <summary>Output-size arithmetic shared by convolutions and pooling (PyTorch's formulas).</summary>
public static class ShapeMath
{
    /// <summary>⌊(in + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1, or with ceil mode PyTorch's pooling rule.</summary>
    public static int SlidingOutput(int size, int kernel, int stride, int padding, int dilation = 1, bool ceilMode = false)
    {
        long span = size + (2L * padding) - ((long)dilation * (kernel - 1)) - 1;
        if (span < 0)
        {
            return 0;
        }

        long output = ceilMode ? ((span + stride - 1) / stride) + 1 : (span / stride) + 1;
        // PyTorch: with ceil mode the last window must start inside the input or the left padding.
        if (ceilMode && (output - 1) * stride >= size + padding)
        {
            output--;
        }

        return (int)Math.Min(output, int.MaxValue);
    }

    /// <summary>(in − 1)·stride − 2·pad + dilation·(kernel − 1) + outputPadding + 1.</summary>
    public static int TransposedOutput(int size, int kernel, int stride, int padding, int outputPadding, int dilation = 1) =>
        (int)Math.Min(((long)(size - 1) * stride) - (2L * padding) + ((long)dilation * (kernel - 1)) + outputPadding + 1, int.MaxValue);

    public static long Multiply(params int[] factors) => factors.Aggregate(1L, (a, b) => checked(a * b));
}
