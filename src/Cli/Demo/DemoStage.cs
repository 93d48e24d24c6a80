namespace Nas.Cli.Demo;

/// <summary>
/// One stage of the demo: a short name (the key of its wall time in <c>demo-timings.json</c>), a title for logs and
/// report, and the work. <see cref="DemoWorkflow.Stages"/> lists them in order; a new stage (e.g. model-zoo
/// baselines that add <see cref="DemoCandidate"/>s) joins that list. A stage skips work a resumed demo already has.
/// </summary>
public sealed record DemoStage(string Name, string Title, Action<CancellationToken> Run);
