namespace Nas.OneShot.Evaluation;

/// <summary>Accuracy of one sub-network with inherited weights on the held-out images.</summary>
public sealed record SubnetScore(double Miou, double PixelAccuracy);
