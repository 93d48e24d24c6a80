using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Nas.Core.IO;

/// <summary>
/// One-line, user-worded messages for JSON problems: syntax errors and truncated files name the line and position;
/// wrong values name the key, what it must be and what it holds; unknown keys list the allowed ones. No .NET type
/// names reach the user.
/// </summary>
internal static partial class JsonErrorText
{
    /// <summary>Parses <paramref name="json"/> for syntax only and throws a located message when it is not valid JSON.</summary>
    public static JsonDocument ParseSyntax(string json, string source, JsonSerializerOptions options)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new NasException($"{source}: the file is empty (expected a JSON object)");
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions
            {
                AllowTrailingCommas = options.AllowTrailingCommas,
                CommentHandling = options.ReadCommentHandling,
                MaxDepth = options.MaxDepth,
            });
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            long position = (e.BytePositionInLine ?? 0) + 1;
            bool atEnd = RestIsBlank(json, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            string reason = ReaderReason(e.Message);
            throw new NasException(atEnd
                ? $"{source}: the JSON ends early at line {line}, position {position} (the file looks truncated): {reason}"
                : $"{source}: invalid JSON at line {line}, position {position}: {reason}", e);
        }
    }

    /// <summary>The message for a deserialization error of a syntactically valid document whose root type is <paramref name="root"/>.</summary>
    public static string Describe(JsonException e, Type root, JsonDocument document, string source, JsonSerializerOptions options)
    {
        string path = e.Path ?? "$";
        List<string> segments = Segments(path);
        Match unmapped = UnmappedPattern().Match(e.Message);
        if (unmapped.Success)
        {
            string key = unmapped.Groups["key"].Value;
            List<string> parent = segments.Count > 0 && segments[^1] == key ? segments[..^1] : segments;
            string allowed = TypeAt(root, parent, options) is Type t ? AllowedKeys(t, options) : string.Empty;
            return $"{source}: unknown key '{key}'{In(parent)}{(allowed.Length > 0 ? $" (allowed: {allowed})" : string.Empty)}";
        }

        Match missing = MissingPattern().Match(e.Message);
        if (missing.Success)
        {
            string keys = missing.Groups["keys"].Value.Trim().TrimEnd('.');
            return $"{source}: missing required key{(keys.Contains(',', StringComparison.Ordinal) ? "s" : string.Empty)} {keys}{In(segments)}";
        }

        if (e.Message.Contains("could not be converted", StringComparison.Ordinal) || e.Message.Contains("is not in a supported", StringComparison.Ordinal))
        {
            string expected = TypeAt(root, segments, options) is Type t ? UserWords.Describe(t) : "another kind of value";
            string where = segments.Count == 0 ? "the document" : $"'{string.Join('.', segments)}'";
            string got = ValueAt(document.RootElement, segments) is string raw ? $" (got {raw})" : string.Empty;
            return $"{source}: {where} must be {expected}{got}";
        }

        string location = segments.Count == 0 ? string.Empty : $" at '{string.Join('.', segments)}'";
        return $"{source}: invalid value{location}: {UserWords.ReplaceTypeNames(FirstSentence(e.Message))}";
    }

    private static string In(List<string> segments) => segments.Count == 0 ? string.Empty : $" in '{string.Join('.', segments)}'";

    private static bool RestIsBlank(string json, long line, long bytePosition)
    {
        int index = 0;
        for (long l = 0; l < line && index < json.Length; l++)
        {
            int next = json.IndexOf('\n', index);
            if (next < 0)
            {
                return true;
            }

            index = next + 1;
        }

        // Byte positions count UTF-8 bytes; walk characters until that many bytes are consumed.
        long bytes = 0;
        while (index < json.Length && bytes < bytePosition && json[index] != '\n')
        {
            bytes += Encoding.UTF8.GetByteCount(json.AsSpan(index, 1));
            index++;
        }

        return string.IsNullOrWhiteSpace(json[index..]);
    }

    private static string ReaderReason(string message)
    {
        string text = FirstSentence(message);
        int lineNumber = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (lineNumber > 0 ? text[..lineNumber] : text).Trim().Replace(", when isFinalBlock is true", string.Empty, StringComparison.Ordinal);
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Splits a serializer path such as <c>$.stages[0].channels</c> or <c>$['a b']</c> into keys and indices.</summary>
    private static List<string> Segments(string path)
    {
        var result = new List<string>();
        foreach (Match m in SegmentPattern().Matches(path))
        {
            result.Add(m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["index"].Value);
        }

        return result;
    }

    private static Type? TypeAt(Type root, List<string> segments, JsonSerializerOptions options)
    {
        Type? current = root;
        foreach (string segment in segments)
        {
            if (current is null)
            {
                return null;
            }

            Type t = Nullable.GetUnderlyingType(current) ?? current;
            JsonTypeInfo info = options.GetTypeInfo(t);
            current = info.Kind switch
            {
                JsonTypeInfoKind.Object => info.Properties.FirstOrDefault(p => p.Name == segment)?.PropertyType,
                JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary => info.ElementType,
                _ => null,
            };
        }

        return current;
    }

    private static string AllowedKeys(Type type, JsonSerializerOptions options)
    {
        JsonTypeInfo info = options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
        return info.Kind == JsonTypeInfoKind.Object ? string.Join(", ", info.Properties.Select(p => p.Name)) : string.Empty;
    }

    private static string? ValueAt(JsonElement element, List<string> segments)
    {
        JsonElement current = element;
        foreach (string segment in segments)
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out JsonElement child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out int i) && i >= 0 && i < current.GetArrayLength())
            {
                current = current[i];
            }
            else
            {
                return null;
            }
        }

        string raw = current.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            _ => current.GetRawText(),
        };
        return raw.Length > 40 ? raw[..40] + "..." : raw;
    }

    [GeneratedRegex(@"The JSON property '(?<key>[^']*)' could not be mapped")]
    private static partial Regex UnmappedPattern();

    [GeneratedRegex(@"missing required properties including: (?<keys>.*)$")]
    private static partial Regex MissingPattern();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex SegmentPattern();
}
