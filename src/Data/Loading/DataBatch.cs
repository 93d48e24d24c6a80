namespace Nas.Data.Loading;

/// <summary>
/// A batch ready to become tensors: <see cref="Images"/> is N×3×H×W float32 (normalised, contiguous), <see cref="Labels"/>
/// N×H×W class indices (255 = ignore).
/// </summary>
public sealed record DataBatch(float[] Images, byte[] Labels, int Count, int Height, int Width, IReadOnlyList<string> Ids);
