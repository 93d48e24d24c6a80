namespace Nas.Core.Graphs.Blocks;

/// <summary>
/// The SqueezeNAS / DARTS FactorizedReduce (the "skip" candidate at a stride-2 position): ReLU, then two 1×1 stride-2
/// convolutions to C_out/2 each with BN — the second on the input shifted by one pixel (<c>x[:, :, 1:, 1:]</c>) —
/// concatenated. External names follow the official module (<c>op.conv_1.{0,1}</c>, <c>op.conv_2.{0,1}</c>).
/// </summary>
public static class FactorizedReduce
{
    public static string Build(GraphBuilder b, string x, int outChannels)
    {
        if (outChannels % 2 != 0)
        {
            throw new NasException($"FactorizedReduce needs an even number of output channels (got {outChannels})");
        }

        int half = outChannels / 2;
        string r = b.Relu("relu", x);
        string a = b.Conv("conv_a", r, half, 1, stride: 2, external: "op.conv_1.0");
        a = b.BatchNorm("bn_a", a, external: "op.conv_1.1");
        string shifted = b.Slice("shift", r, 1, 1);
        string c = b.Conv("conv_b", shifted, half, 1, stride: 2, external: "op.conv_2.0");
        c = b.BatchNorm("bn_b", c, external: "op.conv_2.1");
        return b.Concat("concat", a, c);
    }
}
