namespace Nas.Cli.Demo;

/// <summary>Step times measured on this machine before the searches and trainings are sized (seconds).</summary>
/// <param name="SearchStep">One search step with its architecture update (single path, the demo's batch).</param>
/// <param name="TrainStep">One training step of a network of middling cost.</param>
/// <param name="EvalImage">Validating that network on one image.</param>
public sealed record DemoStepTimes(double SearchStep, double TrainStep, double EvalImage);
