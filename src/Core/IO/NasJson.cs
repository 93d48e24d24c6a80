using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Nas.Core.IO;

/// <summary>
/// The one JSON convention of the project: snake_case keys, unknown keys rejected, indented output.
/// </summary>
public static class NasJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Graphs.GraphJsonModifier.Apply } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// Parses <paramref name="json"/>. Errors are one line in user words: a syntax error or a truncated file names the
    /// line and position, a wrong value names its key, what it must be and what it holds, an unknown key lists the
    /// allowed ones.
    /// </summary>
    public static T Deserialize<T>(string json, string source)
    {
        using JsonDocument document = JsonErrorText.ParseSyntax(json, source, Options);
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new NasException($"{source}: the JSON document is empty (null)");
        }
        catch (JsonException e)
        {
            throw new NasException(JsonErrorText.Describe(e, typeof(T), document, source, Options), e);
        }
    }

    public static T ReadFile<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new NasException($"file not found: '{path}'");
        }

        return Deserialize<T>(File.ReadAllText(path), path);
    }

    public static void WriteFile<T>(string path, T value) => AtomicFile.WriteAllText(path, Serialize(value) + "\n");
}
