namespace Nas.Supernet.Checkpoints;

/// <summary>What loading a state dict into a module did.</summary>
/// <param name="Loaded">Tensors copied into the module.</param>
/// <param name="Skipped">Keys of the module left at their current (freshly initialised) values on purpose.</param>
/// <param name="Unused">Source keys that matched nothing and were ignored (non-strict loads only).</param>
public sealed record StateDictLoadReport(int Loaded, IReadOnlyList<string> Skipped, IReadOnlyList<string> Unused);
