namespace Nas.Cli.Demo;

/// <summary>Measured wall time of one demo stage, summed over every invocation that worked on it (a resumed demo adds to it).</summary>
/// <param name="Invocations">How many invocations of <c>nas demo</c> ran (or skipped) the stage.</param>
public sealed record DemoStageTime(string Stage, string Title, double Seconds, int Invocations);
