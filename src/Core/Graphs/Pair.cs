using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nas.Core.Graphs;

/// <summary>
/// A (height, width) pair of a layer setting: kernel, stride, padding, dilation. An <c>int</c> converts to a square
/// pair; JSON writes a square pair as one number and any other as <c>[h, w]</c>.
/// </summary>
[JsonConverter(typeof(PairJsonConverter))]
public readonly record struct Pair(int H, int W)
{
    public bool IsSquare => H == W;

    public static implicit operator Pair(int value) => new(value, value);

    public static implicit operator Pair((int H, int W) value) => new(value.H, value.W);

    public override string ToString() => IsSquare ? H.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{H}x{W}";
}

/// <summary>JSON form of <see cref="Pair"/>: <c>3</c> or <c>[5, 1]</c>.</summary>
public sealed class PairJsonConverter : JsonConverter<Pair>
{
    public override Pair Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt32();
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a number or [h, w]");
        }

        reader.Read();
        int h = reader.GetInt32();
        reader.Read();
        int w = reader.GetInt32();
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("expected [h, w] with two numbers");
        }

        return new Pair(h, w);
    }

    public override void Write(Utf8JsonWriter writer, Pair value, JsonSerializerOptions options)
    {
        if (value.IsSquare)
        {
            writer.WriteNumberValue(value.H);
            return;
        }

        writer.WriteStartArray();
        writer.WriteNumberValue(value.H);
        writer.WriteNumberValue(value.W);
        writer.WriteEndArray();
    }
}
