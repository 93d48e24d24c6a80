namespace Nas.Cli.Demo;

/// <summary>The images the runs actually used (counted from the opened splits, not from the plan).</summary>
/// <param name="Generated">Synthetic scenes written.</param>
/// <param name="Train">The train split; every training uses all of it.</param>
/// <param name="SearchWeights">The part of the train split the searches use for weight updates.</param>
/// <param name="SearchArchitecture">The part the searches use for architecture updates.</param>
/// <param name="Val">The validation split.</param>
public sealed record DemoDataUse(int Generated, int Train, int SearchWeights, int SearchArchitecture, int Val);
