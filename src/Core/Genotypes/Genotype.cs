using Nas.Core.SearchSpaces;

namespace Nas.Core.Genotypes;

/// <summary>
/// One candidate op per searchable position of a space: a concrete architecture.
/// Canonical text form: <c>SPACE:op0,op1,...</c>, e.g. <c>small:k3_e1_g2,k3_e1_g1,...</c>.
/// </summary>
public sealed class Genotype : IEquatable<Genotype>
{
    public Genotype(SearchSpace space, IReadOnlyList<CandidateOp> ops)
    {
        Space = space;
        Validate(space, ops.Select(o => o?.Name).ToList(), "genotype");
        Ops = ops.ToArray();
    }

    public SearchSpace Space { get; }

    public IReadOnlyList<CandidateOp> Ops { get; }

    /// <summary>Index of each position's op in the space's candidate list (the architecture-logit index).</summary>
    public IReadOnlyList<int> CandidateIndices => Ops.Select(o => Space.IndexOf(o)).ToArray();

    public string CanonicalString => $"{Space.Name}:{string.Join(',', Ops.Select(o => o.Name))}";

    public static Genotype FromIndices(SearchSpace space, IReadOnlyList<int> indices)
    {
        if (indices.Count != space.PositionCount)
        {
            throw new NasException($"genotype has {indices.Count} positions, space '{space.Name}' has {space.PositionCount}");
        }

        var ops = new CandidateOp[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            if (indices[i] < 0 || indices[i] >= space.Candidates.Count)
            {
                throw new NasException($"genotype position {i}: candidate index {indices[i]} is outside [0, {space.Candidates.Count - 1}]");
            }

            ops[i] = space.Candidates[indices[i]];
        }

        return new Genotype(space, ops);
    }

    /// <summary>Parses <c>SPACE:op0,op1,...</c>; SPACE is a built-in name unless <paramref name="space"/> is given.</summary>
    public static Genotype Parse(string text, SearchSpace? space = null)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new NasException($"invalid genotype text '{Shorten(text)}': expected SPACE:op0,op1,... (e.g. small:k3_e1_g1,skip,...)");
        }

        string spaceName = text[..colon].Trim();
        SearchSpace resolved = space ?? SearchSpaceCatalog.TryGet(spaceName)
            ?? throw new NasException($"genotype text names unknown space '{spaceName}' (built-in: small, large, xlarge)");
        if (space is not null && !string.Equals(space.Name, spaceName, StringComparison.OrdinalIgnoreCase))
        {
            throw new NasException($"genotype text is for space '{spaceName}', expected '{space.Name}'");
        }

        List<string?> names = text[(colon + 1)..].Split(',').Select(s => (string?)s.Trim()).ToList();
        return FromNames(resolved, names, "genotype text");
    }

    /// <summary>Builds a genotype from op names, with errors that name the bad position and value.</summary>
    public static Genotype FromNames(SearchSpace space, IReadOnlyList<string?> names, string source)
    {
        Validate(space, names, source);
        return new Genotype(space, names.Select(n => CandidateOps.Parse(n!)).ToArray());
    }

    public bool Equals(Genotype? other) => other is not null && Space.Equals(other.Space) && Ops.SequenceEqual(other.Ops);

    public override bool Equals(object? obj) => Equals(obj as Genotype);

    public override int GetHashCode() => CanonicalString.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => CanonicalString;

    private static void Validate(SearchSpace space, IReadOnlyList<string?> names, string source)
    {
        if (names.Count != space.PositionCount)
        {
            throw new NasException(names.Count < space.PositionCount
                ? $"{source}: has {names.Count} of the {space.PositionCount} positions of space '{space.Name}' (one op per position, separated by commas)"
                : $"{source}: has {names.Count} positions, but space '{space.Name}' has {space.PositionCount}");
        }

        for (int i = 0; i < names.Count; i++)
        {
            if (!CandidateOps.TryParse(names[i], out CandidateOp? op))
            {
                throw new NasException($"{source}: position {i}: unknown op '{names[i]}' (allowed: {string.Join(", ", space.Candidates.Select(c => c.Name))})");
            }

            if (space.IndexOf(op) < 0)
            {
                throw new NasException($"{source}: position {i}: op '{op.Name}' is not a candidate of space '{space.Name}' (allowed: {string.Join(", ", space.Candidates.Select(c => c.Name))})");
            }
        }
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text;
}
