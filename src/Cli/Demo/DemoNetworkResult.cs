namespace Nas.Cli.Demo;

/// <summary>One network of the demo report.</summary>
public sealed record DemoNetworkResult(
    string Name,
    string Kind,
    string Genotype,
    double? TargetMs,
    long Macs,
    long Params,
    double PredictedMs,
    double MeasuredMs,
    double MeasuredP10Ms,
    double MeasuredP90Ms,
    double Miou,
    double PixelAccuracy,
    string Checkpoint,
    string Onnx,
    string TrainRun);
