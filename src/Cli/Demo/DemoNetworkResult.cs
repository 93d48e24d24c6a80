namespace Nas.Cli.Demo;

/// <summary>One network of the demo report: what it is, what the table predicts, what was measured (with how the timing rounds agreed) and how well it segments.</summary>
/// <param name="MeasurementRounds">Timing rounds of the measurement (interleaved with every other network).</param>
/// <param name="MeasurementSpread">(slowest − fastest) / fastest round median.</param>
/// <param name="MeasurementStable">True when the two fastest rounds agreed within 5 %.</param>
public sealed record DemoNetworkResult(
    string Name,
    string Kind,
    string Genotype,
    double? TargetMs,
    long Macs,
    long Params,
    double? PredictedMs,
    double MeasuredMs,
    double MeasuredP10Ms,
    double MeasuredP90Ms,
    int MeasurementRounds,
    double MeasurementSpread,
    bool MeasurementStable,
    double Miou,
    double PixelAccuracy,
    string Checkpoint,
    string Onnx,
    string TrainRun)
{
    /// <summary>Predicted latency above the target in percent of the target (null without a target).</summary>
    public double? TargetExcessPercent => TargetMs is double t && PredictedMs is double p ? DemoTargets.Excess(p, t) : null;

    /// <summary>(predicted − measured) / measured in percent; null for a network the table cannot predict (a zoo baseline).</summary>
    public double? PredictionErrorPercent => PredictedMs is double p ? (p - MeasuredMs) / MeasuredMs * 100 : null;
}
