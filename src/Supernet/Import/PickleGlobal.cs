namespace Nas.Supernet.Import;

/// <summary>A <c>module.name</c> reference found in a pickle (GLOBAL / STACK_GLOBAL); never resolved to code.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";
}
