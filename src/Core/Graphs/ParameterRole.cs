namespace Nas.Core.Graphs;

/// <summary>What a tensor of a node is; decides initialisation, what counts as a parameter and how BN folding reads it.</summary>
public enum ParameterRole
{
    /// <summary>Convolution or transposed-convolution kernel.</summary>
    Weight,

    /// <summary>Convolution bias.</summary>
    Bias,

    /// <summary>BatchNorm γ.</summary>
    Scale,

    /// <summary>BatchNorm β.</summary>
    Shift,

    /// <summary>BatchNorm running mean (a buffer, not a parameter).</summary>
    RunningMean,

    /// <summary>BatchNorm running variance (a buffer).</summary>
    RunningVar,

    /// <summary>BatchNorm's int64 <c>num_batches_tracked</c> (a buffer).</summary>
    BatchCounter,

    /// <summary>PReLU slopes.</summary>
    Slope,

    /// <summary>A supernet choice's architecture logits.</summary>
    ArchLogits,
}
