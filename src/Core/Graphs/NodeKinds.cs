using System.Collections.Frozen;
using System.Reflection;

namespace Nas.Core.Graphs;

/// <summary>
/// The registry of node kinds: every non-abstract <see cref="Node"/> type of this assembly with a
/// <see cref="NodeKindAttribute"/>. Adding a layer kind is one record type here (plus its ONNX and TorchSharp
/// lowering, which the conformance tests check for every kind listed).
/// </summary>
public static class NodeKinds
{
    private static readonly FrozenDictionary<Type, string> s_kindByType = Discover();
    private static readonly FrozenDictionary<string, Type> s_typeByKind = s_kindByType.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => s_typeByKind.Keys;

    public static IReadOnlyDictionary<Type, string> Types => s_kindByType;

    public static string KindOf(Type type) =>
        s_kindByType.TryGetValue(type, out string? kind) ? kind : throw new InvalidOperationException($"{type.Name} has no [NodeKind]");

    public static bool TryGetType(string kind, out Type? type) => s_typeByKind.TryGetValue(kind, out type);

    private static FrozenDictionary<Type, string> Discover() =>
        typeof(Node).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(Node).IsAssignableFrom(t))
            .ToFrozenDictionary(t => t, t => t.GetCustomAttribute<NodeKindAttribute>()?.Kind
                ?? throw new InvalidOperationException($"node type {t.Name} has no [NodeKind]"));
}
