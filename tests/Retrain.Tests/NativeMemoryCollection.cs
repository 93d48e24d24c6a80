namespace Nas.Retrain.Tests;

/// <summary>Memory measurements run alone: other tests of the assembly would change the process's resident size.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeMemoryCollection
{
    public const string Name = "native memory";
}
