using Nas.Retrain.Training;

namespace Nas.OneShot.Training;

/// <summary>The <c>config.json</c> of a stand-alone retraining inside a ranking or benchmark folder.</summary>
public sealed record StandaloneRunConfig(string Genotype, int Classes, string Data, TrainOptions Train);
