namespace Nas.Retrain.Prediction;

/// <summary>What <c>nas predict</c> did: the files written and, with <c>--skip-bad</c>, the images left out (with the reason).</summary>
public sealed record PredictResult(IReadOnlyList<string> Written, IReadOnlyList<string> Skipped);
