using System.Globalization;
using Nas.Core;

namespace Nas.Models.Registry;

/// <summary>What a builder is asked for: the class count and the model's options (<c>p=2</c>, <c>aux=false</c>, ...).</summary>
public sealed record ModelRequest(string Model, int Classes, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Rejects options the model does not know, naming them and the known ones.</summary>
    public void AllowOnly(params string[] known)
    {
        string[] unknown = Options.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
        {
            throw new NasException($"model '{Model}' has no option {string.Join(", ", unknown.Select(u => $"'{u}'"))} (options: {(known.Length == 0 ? "none" : string.Join(", ", known))})");
        }
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!Options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new NasException($"model '{Model}': option '{name}' = '{text}' must be an integer in [{min}, {max}]");
        }

        return value;
    }

    public bool Bool(string name, bool fallback)
    {
        if (!Options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new NasException($"model '{Model}': option '{name}' = '{text}' must be true or false"),
        };
    }

    /// <summary>A word option: one of <paramref name="allowed"/> (case-insensitive; returned as written there).</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        if (!Options.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return allowed.FirstOrDefault(a => a.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new NasException($"model '{Model}': option '{name}' = '{text}' must be one of {string.Join(", ", allowed)}");
    }
}
