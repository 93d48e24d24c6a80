using System.Text.Json.Serialization.Metadata;

namespace Nas.Core.Graphs;

/// <summary>
/// Teaches the project's JSON options the node kinds: <see cref="Node"/> is polymorphic on <c>kind</c> (every type
/// of <see cref="NodeKinds"/>; an unknown kind is an error), and computed node properties are not written.
/// </summary>
public static class GraphJsonModifier
{
    public static void Apply(JsonTypeInfo info)
    {
        if (info.Type == typeof(Node))
        {
            var options = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = "kind",
                UnknownDerivedTypeHandling = System.Text.Json.Serialization.JsonUnknownDerivedTypeHandling.FailSerialization,
                IgnoreUnrecognizedTypeDiscriminators = false,
            };
            foreach ((Type type, string kind) in NodeKinds.Types)
            {
                options.DerivedTypes.Add(new JsonDerivedType(type, kind));
            }

            info.PolymorphismOptions = options;
            return;
        }

        if (info.Kind == JsonTypeInfoKind.Object && typeof(Node).IsAssignableFrom(info.Type))
        {
            for (int i = info.Properties.Count - 1; i >= 0; i--)
            {
                if (info.Properties[i].Set is null)
                {
                    info.Properties.RemoveAt(i);
                }
            }
        }
    }
}
