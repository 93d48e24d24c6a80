namespace Nas.Data.Checking;

/// <summary>
/// What <c>nas data check</c> found: counts, problems (file and reason, sorted), the per-class pixel histogram
/// (<see cref="ClassPixels"/>, in class order, plus <see cref="IgnoredPixels"/> of value 255), the number of images
/// in which each class occurs, and how many images have each size ("HxW").
/// </summary>
public sealed record DatasetCheckResult(
    string Dataset,
    string Split,
    int Samples,
    IReadOnlyList<string> Problems,
    IReadOnlyList<long> ClassPixels,
    long IgnoredPixels,
    IReadOnlyDictionary<string, int> ImageSizes,
    IReadOnlyList<string>? ClassNames = null,
    IReadOnlyList<int>? ClassImages = null)
{
    public bool Ok => Problems.Count == 0;
}
