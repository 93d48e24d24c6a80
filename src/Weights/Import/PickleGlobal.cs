namespace Nas.Weights.Import;

/// <summary>
/// A <c>module.name</c> reference read from a pickle (GLOBAL / STACK_GLOBAL) that passed <see cref="TorchGlobals"/>;
/// it is a token, never resolved to code.
/// </summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";

    public override string ToString() => FullName;
}
