namespace Nas.Data.Loading;

/// <summary>
/// A batch ready to become tensors: <see cref="Images"/> is N×3×H×W float32 (normalised, contiguous), <see cref="Labels"/>
/// N×H×W class indices (255 = ignore; widen to int64 for a cross-entropy loss). <see cref="Ids"/> and
/// <see cref="Indices"/> name the samples (dataset ids and indices into the split).
/// </summary>
public sealed record DataBatch(float[] Images, byte[] Labels, int Count, int Height, int Width, IReadOnlyList<string> Ids, IReadOnlyList<int>? Indices = null)
{
    public const int Channels = 3;

    /// <summary>The labels widened to int64 (what a cross-entropy loss takes).</summary>
    public long[] LabelsAsInt64()
    {
        long[] wide = new long[Labels.Length];
        for (int i = 0; i < wide.Length; i++)
        {
            wide[i] = Labels[i];
        }

        return wide;
    }
}
