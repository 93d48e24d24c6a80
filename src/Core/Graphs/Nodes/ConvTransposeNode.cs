using System.Text.Json.Serialization;

namespace Nas.Core.Graphs.Nodes;

/// <summary>
/// 2-D transposed convolution (PyTorch <c>ConvTranspose2d</c>): <c>weight</c> [in, out/groups, kH, kW], optional <c>bias</c>.
/// With <see cref="BilinearInit"/> the kernel starts as Caffe's <c>bilinear</c> weight filler instead of a random one.
/// </summary>
[NodeKind("conv-transpose")]
public sealed record ConvTransposeNode : Node
{
    public required int InChannels { get; init; }

    public required int OutChannels { get; init; }

    public required Pair Kernel { get; init; }

    public Pair Stride { get; init; } = 1;

    public Pair Padding { get; init; } = 0;

    public Pair OutputPadding { get; init; } = 0;

    public int Groups { get; init; } = 1;

    public bool Bias { get; init; }

    /// <summary>
    /// The kernel is initialised with Caffe's <c>bilinear</c> filler (<see cref="BilinearKernel"/>, the same in every
    /// [in, out/groups] slice; with groups = channels that is per-channel bilinear upsampling by the stride, zero at the
    /// borders). It stays a trainable weight: Caffe's <c>lr_mult: 0</c> (a fixed kernel) is not modelled.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool BilinearInit { get; init; }

    public override IReadOnlyList<ParameterSpec> Parameters => Bias
        ? [new("weight", [InChannels, OutChannels / Groups, Kernel.H, Kernel.W], ParameterRole.Weight), new("bias", [OutChannels], ParameterRole.Bias)]
        : [new("weight", [InChannels, OutChannels / Groups, Kernel.H, Kernel.W], ParameterRole.Weight)];

    public override int[] OutputChannels(IReadOnlyList<int> inputChannels)
    {
        if (InChannels < 1 || OutChannels < 1 || Groups < 1 || InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw Error($"groups {Groups} must divide the input ({InChannels}) and output ({OutChannels}) channels, all >= 1");
        }

        if (Kernel.H < 1 || Kernel.W < 1 || Stride.H < 1 || Stride.W < 1 || Padding.H < 0 || Padding.W < 0
            || OutputPadding.H < 0 || OutputPadding.W < 0 || OutputPadding.H >= Stride.H || OutputPadding.W >= Stride.W)
        {
            throw Error($"kernel {Kernel} and stride {Stride} must be >= 1, padding {Padding} >= 0 and output padding {OutputPadding} in [0, stride)");
        }

        ExpectChannels(inputChannels, 0, InChannels, "the transposed convolution");
        return [OutChannels];
    }

    public override ValueShape[] InferShapes(IReadOnlyList<ValueShape> inputs)
    {
        ValueShape x = inputs[0];
        int h = ShapeMath.TransposedOutput(x.Height, Kernel.H, Stride.H, Padding.H, OutputPadding.H);
        int w = ShapeMath.TransposedOutput(x.Width, Kernel.W, Stride.W, Padding.W, OutputPadding.W);
        if (h < 1 || w < 1)
        {
            throw Error($"input {x} gives a non-positive output {h}x{w}");
        }

        return [new ValueShape(OutChannels, h, w)];
    }

    public override NodeCost Cost(IReadOnlyList<ValueShape> inputs, IReadOnlyList<ValueShape> outputs)
    {
        // Every input element is multiplied into kH·kW·out/groups outputs.
        long macs = inputs[0].Elements * Kernel.H * Kernel.W * (OutChannels / Groups);
        return new NodeCost(macs, (2 * macs) + (Bias ? outputs[0].Elements : 0));
    }

    /// <summary>
    /// Caffe's <c>BilinearFiller</c> for this kernel, row-major [kH, kW]: f = ⌈k/2⌉, c = (2f − 1 − f mod 2)/(2f),
    /// w[y, x] = (1 − |x/f − c|)·(1 − |y/f − c|) (per axis with the axis' kernel size).
    /// </summary>
    public float[] BilinearKernel()
    {
        double[] rows = Axis(Kernel.H), cols = Axis(Kernel.W);
        var w = new float[rows.Length * cols.Length];
        for (int y = 0; y < rows.Length; y++)
        {
            for (int x = 0; x < cols.Length; x++)
            {
                w[(y * cols.Length) + x] = (float)(rows[y] * cols[x]);
            }
        }

        return w;

        static double[] Axis(int k)
        {
            int f = (k + 1) / 2;
            double c = ((2.0 * f) - 1 - (f % 2)) / (2.0 * f);
            return Enumerable.Range(0, k).Select(i => 1 - Math.Abs((i / (double)f) - c)).ToArray();
        }
    }
}
