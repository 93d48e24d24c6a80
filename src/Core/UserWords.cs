using System.Collections;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nas.Core;

/// <summary>
/// Turns .NET type names (<c>System.Nullable`1[System.Int32]</c>, <c>Nas.Retrain.Runs.TrainRunConfig</c>) into the
/// words a user understands (<c>an integer</c>, <c>a JSON object</c>), for error messages from the JSON serializer and
/// the command-line parser.
/// </summary>
public static partial class UserWords
{
    /// <summary>What a value of <paramref name="type"/> looks like to a user: "an integer", "one of sgd, adam", ...</summary>
    public static string Describe(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(t).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)));
        }

        return Type.GetTypeCode(t) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => "an integer",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.Boolean => "true or false",
            TypeCode.String or TypeCode.Char => "a string",
            _ when typeof(IDictionary).IsAssignableFrom(t) || ImplementsGeneric(t, typeof(IReadOnlyDictionary<,>)) => "an object of named values",
            _ when typeof(IEnumerable).IsAssignableFrom(t) => "a list",
            _ => "a JSON object",
        };
    }

    /// <summary>Like <see cref="Describe(Type)"/> for a type's full name as .NET prints it; unknown names lose their namespace.</summary>
    public static string Describe(string typeName)
    {
        string name = typeName.Trim().Trim('\'');
        Match nullable = NullablePattern().Match(name);
        if (nullable.Success)
        {
            name = nullable.Groups["inner"].Value;
        }

        if (Resolve(name) is Type t)
        {
            return Describe(t);
        }

        int dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }

    /// <summary>Replaces every namespace-qualified .NET type name in <paramref name="message"/> by its user words.</summary>
    public static string ReplaceTypeNames(string message)
    {
        string text = ExpectedTypePattern().Replace(message, m => $": expected {Describe(m.Groups["type"].Value)}");
        return QualifiedTypePattern().Replace(text, m => Describe(m.Value));
    }

    private static Type? Resolve(string fullName)
    {
        if (Type.GetType(fullName) is Type system)
        {
            return system;
        }

        foreach (System.Reflection.Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(fullName) is Type found)
            {
                return found;
            }
        }

        return null;
    }

    private static bool ImplementsGeneric(Type t, Type generic) =>
        (t.IsGenericType && t.GetGenericTypeDefinition() == generic) || t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);

    [GeneratedRegex(@"^System\.Nullable`1\[\[?(?<inner>[^\],]+)")]
    private static partial Regex NullablePattern();

    [GeneratedRegex(@" as expected type '(?<type>[^']+)'")]
    private static partial Regex ExpectedTypePattern();

    [GeneratedRegex(@"'?\b(?:System|Nas|Microsoft)(?:\.[A-Za-z0-9_`]+)+(?:\[\[?[A-Za-z0-9_.`, =]+\]?\])?'?")]
    private static partial Regex QualifiedTypePattern();
}
