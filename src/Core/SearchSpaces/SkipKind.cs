namespace Nas.Core.SearchSpaces;

/// <summary>What the "skip" candidate becomes at a given position (§1.3 of the SqueezeNAS reference).</summary>
public enum SkipKind
{
    /// <summary>Stride 1 and equal channels: the block is the identity (a zero op plus the residual).</summary>
    Identity,

    /// <summary>Stride 2: ReLU then two 1×1 stride-2 convolutions (the second on the input shifted by one pixel), concatenated.</summary>
    FactorizedReduce,

    /// <summary>Stride 1 and a channel change: ReLU, 1×1 convolution, BatchNorm.</summary>
    Projection,
}
