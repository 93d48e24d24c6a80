namespace Nas.Cli.Demo;

/// <summary>Times measured on this machine before the searches and trainings are sized (seconds).</summary>
/// <param name="SearchStep">One search step with its architecture update (single path, the demo's batch).</param>
/// <param name="TrainStep">One training step of a network of middling cost.</param>
/// <param name="EvalImage">Validating that network on one image.</param>
/// <param name="SearchRun">What a search costs besides its steps (set-up, checkpoints, derivation, plots).</param>
/// <param name="TrainRun">What a training costs besides its steps and validation (set-up, checkpoints, plots).</param>
public sealed record DemoStepTimes(double SearchStep, double TrainStep, double EvalImage, double SearchRun = 0, double TrainRun = 0);
