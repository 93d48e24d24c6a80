using System.Text;
using Nas.Core.IO;

namespace Nas.Core.SearchSpaces;

/// <summary>
/// A validated macro-architecture: stem, stages of searchable positions, optional last 1×1 conv, the skip
/// feature for the head, the head, and the candidate ops each position chooses from.
/// Two spaces are equal when their canonical text forms are equal (the name is not part of the structure).
/// </summary>
public sealed class SearchSpace : IEquatable<SearchSpace>
{
    private SearchSpace(SearchSpaceDefinition definition, IReadOnlyList<CandidateOp> candidates, IReadOnlyList<BlockPosition> positions)
    {
        Definition = definition;
        Candidates = candidates;
        Positions = positions;
        CanonicalString = BuildCanonicalString();
    }

    public SearchSpaceDefinition Definition { get; }

    public string Name => Definition.Name;

    public int StemChannels => Definition.StemChannels;

    public IReadOnlyList<StageSpec> Stages => Definition.Stages;

    public int? LastConvChannels => Definition.LastConvChannels;

    public int SkipBlockIndex => Definition.SkipBlockIndex;

    public HeadKind Head => Definition.Head;

    public int HeadChannels => Definition.HeadChannels;

    public IReadOnlyList<CandidateOp> Candidates { get; }

    public IReadOnlyList<BlockPosition> Positions { get; }

    public int PositionCount => Positions.Count;

    /// <summary>Channels of the last encoder block.</summary>
    public int EncoderChannels => Positions[^1].OutChannels;

    /// <summary>Channels entering the head at OS16 (after the last conv when there is one).</summary>
    public int FinalChannels => LastConvChannels ?? EncoderChannels;

    public int SkipChannels => Positions[SkipBlockIndex].OutChannels;

    /// <summary>Structural canonical text, e.g. <c>stem=16;stages=16x4s2,...;last=256;skip=7;head=lr-aspp:128;ops=squeezenas13</c>.</summary>
    public string CanonicalString { get; }

    public int IndexOf(CandidateOp op)
    {
        for (int i = 0; i < Candidates.Count; i++)
        {
            if (Candidates[i] == op)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Validates a definition; errors name the source and the offending key, stage, position or op.</summary>
    public static SearchSpace Create(SearchSpaceDefinition definition, string source = "search space")
    {
        string Where(string key) => $"{source}: '{key}'";
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            throw new NasException($"{Where("name")} must be a non-empty string");
        }

        if (definition.StemChannels < 1)
        {
            throw new NasException($"{Where("stem_channels")} must be >= 1 (got {definition.StemChannels})");
        }

        if (definition.Stages is null || definition.Stages.Count == 0)
        {
            throw new NasException($"{Where("stages")} must list at least one stage");
        }

        var positions = new List<BlockPosition>();
        int channels = definition.StemChannels;
        int reduction = 2;
        for (int s = 0; s < definition.Stages.Count; s++)
        {
            StageSpec stage = definition.Stages[s] ?? throw new NasException($"{Where($"stages[{s}]")} is null");
            if (stage.Channels < 1)
            {
                throw new NasException($"{Where($"stages[{s}].channels")} must be >= 1 (got {stage.Channels})");
            }

            if (stage.Repeats < 1)
            {
                throw new NasException($"{Where($"stages[{s}].repeats")} must be >= 1 (got {stage.Repeats})");
            }

            if (stage.Stride is not (1 or 2))
            {
                throw new NasException($"{Where($"stages[{s}].stride")} must be 1 or 2 (got {stage.Stride})");
            }

            for (int r = 0; r < stage.Repeats; r++)
            {
                int stride = r == 0 ? stage.Stride : 1;
                positions.Add(new BlockPosition(positions.Count, s, channels, stage.Channels, stride, reduction));
                reduction *= stride;
                channels = stage.Channels;
            }
        }

        if (reduction != InputSize.NetworkStride)
        {
            throw new NasException(
                $"{Where("stages")}: the stem (stride 2) and the stage strides must reach output stride {InputSize.NetworkStride}, got {reduction}");
        }

        if (definition.LastConvChannels is int last && last < 1)
        {
            throw new NasException($"{Where("last_conv_channels")} must be >= 1 or omitted (got {last})");
        }

        if (definition.SkipBlockIndex < 0 || definition.SkipBlockIndex >= positions.Count)
        {
            throw new NasException(
                $"{Where("skip_block_index")} must be a block index in [0, {positions.Count - 1}] (got {definition.SkipBlockIndex})");
        }

        int skipReduction = positions[definition.SkipBlockIndex].OutputReduction;
        int wantedSkip = definition.Head == HeadKind.LrAspp ? 8 : 4;
        if (skipReduction != wantedSkip)
        {
            throw new NasException(
                $"{Where("skip_block_index")}: the {HeadName(definition.Head)} head needs its skip feature at output stride {wantedSkip}, " +
                $"but block {definition.SkipBlockIndex} outputs at stride {skipReduction}");
        }

        if (definition.HeadChannels < 1)
        {
            throw new NasException($"{Where("head_channels")} must be >= 1 (got {definition.HeadChannels})");
        }

        int finalChannels = definition.LastConvChannels ?? positions[^1].OutChannels;
        if (definition.Head == HeadKind.AsppDecoder && finalChannels % definition.HeadChannels != 0)
        {
            throw new NasException(
                $"{Where("head_channels")}: the ASPP branches are grouped convs with groups = head_channels ({definition.HeadChannels}), " +
                $"so the final channels ({finalChannels}) must be a multiple of it");
        }

        IReadOnlyList<CandidateOp> candidates = ParseCandidates(definition.Candidates, source);
        foreach (BlockPosition p in positions)
        {
            foreach (CandidateOp op in candidates)
            {
                string? problem = CheckCandidate(p, op);
                if (problem is not null)
                {
                    throw new NasException($"{source}: candidate '{op.Name}' cannot be built at position {p.Index} ({p.InChannels}->{p.OutChannels}, stride {p.Stride}): {problem}");
                }
            }
        }

        return new SearchSpace(definition with { Candidates = candidates.Select(c => c.Name).ToArray() }, candidates, positions);
    }

    public static SearchSpace FromJson(string json, string source) =>
        Create(NasJson.Deserialize<SearchSpaceDefinition>(json, source), source);

    public static SearchSpace Load(string path) => FromJson(ReadText(path), path);

    public string ToJson() => NasJson.Serialize(Definition);

    public bool Equals(SearchSpace? other) => other is not null && CanonicalString == other.CanonicalString;

    public override bool Equals(object? obj) => Equals(obj as SearchSpace);

    public override int GetHashCode() => CanonicalString.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Name;

    internal static string HeadName(HeadKind head) => head == HeadKind.LrAspp ? "lr-aspp" : "aspp-decoder";

    private static string? CheckCandidate(BlockPosition p, CandidateOp op) => op.Kind.CheckAt(p, op);

    private static IReadOnlyList<CandidateOp> ParseCandidates(IReadOnlyList<string>? names, string source)
    {
        if (names is null)
        {
            return CandidateOps.SqueezeNas;
        }

        if (names.Count == 0)
        {
            throw new NasException($"{source}: 'candidates' must list at least one op (or be omitted for the 13 SqueezeNAS candidates)");
        }

        var ops = new List<CandidateOp>();
        for (int i = 0; i < names.Count; i++)
        {
            if (!CandidateOps.TryParse(names[i], out CandidateOp? op))
            {
                throw new NasException(
                    $"{source}: 'candidates[{i}]' = '{names[i]}' is not a candidate op: expected skip or k<kernel>_e<expansion>_g<groups>[_d<dilation>] " +
                    "with an odd kernel (e.g. k3_e1_g1, k5_e6_g1, k9_e3_g1_d2)");
            }

            if (ops.Contains(op))
            {
                throw new NasException($"{source}: 'candidates[{i}]' = '{names[i]}' is listed twice");
            }

            ops.Add(op);
        }

        return ops;
    }

    private static string ReadText(string path)
    {
        if (!File.Exists(path))
        {
            throw new NasException($"search space file not found: '{path}'");
        }

        return File.ReadAllText(path);
    }

    private string BuildCanonicalString()
    {
        var sb = new StringBuilder();
        sb.Append("stem=").Append(StemChannels);
        sb.Append(";stages=").AppendJoin(',', Stages.Select(s => $"{s.Channels}x{s.Repeats}s{s.Stride}"));
        sb.Append(";last=").Append(LastConvChannels?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        sb.Append(";skip=").Append(SkipBlockIndex);
        sb.Append(";head=").Append(HeadName(Head)).Append(':').Append(HeadChannels);
        sb.Append(";ops=");
        if (Candidates.SequenceEqual(CandidateOps.SqueezeNas))
        {
            sb.Append("squeezenas13");
        }
        else
        {
            sb.AppendJoin(',', Candidates.Select(c => c.Name));
        }

        return sb.ToString();
    }
}
