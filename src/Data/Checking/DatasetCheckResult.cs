namespace Nas.Data.Checking;

/// <summary>What <c>nas data check</c> found: counts, problems (file and reason), and the per-class pixel histogram.</summary>
public sealed record DatasetCheckResult(
    string Dataset,
    string Split,
    int Samples,
    IReadOnlyList<string> Problems,
    IReadOnlyList<long> ClassPixels,
    long IgnoredPixels,
    IReadOnlyDictionary<string, int> ImageSizes)
{
    public bool Ok => Problems.Count == 0;
}
