using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nas.Core.Graphs;

/// <summary>Reads and writes a <see cref="LayerGraph"/> through <see cref="LayerGraphDocument"/>; reading validates the graph.</summary>
public sealed class LayerGraphJsonConverter : JsonConverter<LayerGraph>
{
    public override LayerGraph Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        LayerGraphDocument doc = JsonSerializer.Deserialize<LayerGraphDocument>(ref reader, options)
            ?? throw new JsonException("a layer graph must be an object");
        return new LayerGraph(doc.Name, doc.Inputs, doc.Nodes, doc.Outputs, doc.Parts);
    }

    public override void Write(Utf8JsonWriter writer, LayerGraph value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new LayerGraphDocument
        {
            Name = value.Name,
            Inputs = value.Inputs,
            Nodes = value.Nodes,
            Outputs = value.Outputs,
            Parts = value.Parts.Count == 0 ? null : value.Parts,
        }, options);
}
