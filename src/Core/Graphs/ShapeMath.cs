namespace Nas.Core.Graphs;

/// <summary>Output-size arithmetic shared by convolutions and pooling (PyTorch's formulas).</summary>
public static class ShapeMath
{
    /// <summary>⌊(in + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1, or with ceil mode PyTorch's pooling rule.</summary>
    public static int SlidingOutput(int size, int kernel, int stride, int padding, int dilation = 1, bool ceilMode = false)
    {
        // PyTorch rounds the division down (ceil mode adds stride − 1 first), so in ceil mode a window may be larger
        // than the padded input by up to stride − 1 (Caffe and ONNX then pool over the part inside).
        long span = size + (2L * padding) - ((long)dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        if (span < 0)
        {
            return 0;
        }

        long output = (span / stride) + 1;
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
