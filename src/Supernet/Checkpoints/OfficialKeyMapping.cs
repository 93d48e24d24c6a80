using System.Globalization;
using System.Text.RegularExpressions;
using Nas.Core.SearchSpaces;

namespace Nas.Supernet.Checkpoints;

/// <summary>
/// Maps state-dict keys of the official SqueezeNAS PyTorch networks (<c>arch/model_cityscapes.py</c>) onto ours:
/// <c>encoder.conv1.{0,1}</c> → <c>stem.{conv,bn}</c>; <c>encoder.residuals.i.op.{0,1,3,4,6,7}</c> (the
/// inverted-residual Sequential) → <c>blocks.i.op.{expand,depthwise,project}_{conv,bn}</c>; FactorizedReduce's
/// <c>conv_1/conv_2.{0,1}</c> → <c>conv_a/bn_a/conv_b/bn_b</c>; ReLUConvBN's <c>op.op.{1,2}</c> → <c>conv/bn</c>;
/// <c>encoder.last_conv.{0,1}</c> → <c>last_conv.{conv,bn}</c>; the LR-ASPP <c>decoder._1x1_TL/BL/TR/BR</c> →
/// <c>head.branch/gate_conv/classifier/skip_classifier</c>; the ASPP decoder's <c>_1x1_1_conv</c>,
/// <c>_3x3_{1,2,3}_conv</c>, <c>_1x1_2_conv</c>, <c>lowlevel1x1</c>, <c>logits2</c>, <c>logits3</c> →
/// <c>head.aspp_conv1x1/aspp_rate6/12/18/aspp_project/skip_conv/fuse_depthwise/classifier</c>.
/// </summary>
public static partial class OfficialKeyMapping
{
    private static readonly (Regex Pattern, string Replacement)[] s_fixedRules =
    [
        (new Regex(@"^encoder\.conv1\.0\."), "stem.conv."),
        (new Regex(@"^encoder\.conv1\.1\."), "stem.bn."),
        (new Regex(@"^encoder\.last_conv\.0\."), "last_conv.conv."),
        (new Regex(@"^encoder\.last_conv\.1\."), "last_conv.bn."),
        (new Regex(@"^decoder\._1x1_TL\.(conv|bn)\."), "head.branch.$1."),
        (new Regex(@"^decoder\._1x1_BL\."), "head.gate_conv."),
        (new Regex(@"^decoder\._1x1_TR\."), "head.classifier."),
        (new Regex(@"^decoder\._1x1_BR\."), "head.skip_classifier."),
        (new Regex(@"^decoder\._1x1_1_conv\.(conv|bn)\."), "head.aspp_conv1x1.$1."),
        (new Regex(@"^decoder\._3x3_1_conv\.(conv|bn)\."), "head.aspp_rate6.$1."),
        (new Regex(@"^decoder\._3x3_2_conv\.(conv|bn)\."), "head.aspp_rate12.$1."),
        (new Regex(@"^decoder\._3x3_3_conv\.(conv|bn)\."), "head.aspp_rate18.$1."),
        (new Regex(@"^decoder\._1x1_2_conv\.(conv|bn)\."), "head.aspp_project.$1."),
        (new Regex(@"^lowlevel1x1\."), "head.skip_conv."),
        (new Regex(@"^logits2\.(conv|bn)\."), "head.fuse_depthwise.$1."),
        (new Regex(@"^logits3\."), "head.classifier."),
    ];

    private static readonly string[] s_invertedResidualLayers =
        ["expand_conv", "expand_bn", null!, "depthwise_conv", "depthwise_bn", null!, "project_conv", "project_bn"];

    /// <summary>Our key for an official key, or null when the key has no counterpart (reported as unexpected).</summary>
    public static string? Map(string officialKey, SearchSpace space, IReadOnlyList<CandidateOp> ops)
    {
        foreach ((Regex pattern, string replacement) in s_fixedRules)
        {
            if (pattern.IsMatch(officialKey))
            {
                return pattern.Replace(officialKey, replacement, 1);
            }
        }

        Match m = BlockKey().Match(officialKey);
        if (!m.Success)
        {
            return null;
        }

        int index = int.Parse(m.Groups["i"].Value, CultureInfo.InvariantCulture);
        if (index < 0 || index >= space.PositionCount)
        {
            return null;
        }

        string rest = m.Groups["rest"].Value;
        CandidateOp op = ops[index];
        string? mapped = null;
        if (!op.IsSkip)
        {
            Match layer = SequentialLayer().Match(rest);
            if (layer.Success)
            {
                int li = int.Parse(layer.Groups["n"].Value, CultureInfo.InvariantCulture);
                string? name = li < s_invertedResidualLayers.Length ? s_invertedResidualLayers[li] : null;
                mapped = name is null ? null : $"{name}.{layer.Groups["param"].Value}";
            }
        }
        else if (space.Positions[index].SkipKind == SkipKind.FactorizedReduce)
        {
            Match fr = FactorizedReduceLayer().Match(rest);
            if (fr.Success)
            {
                string branch = fr.Groups["b"].Value == "1" ? "a" : "b";
                string kind = fr.Groups["n"].Value == "0" ? "conv" : "bn";
                mapped = $"{kind}_{branch}.{fr.Groups["param"].Value}";
            }
        }
        else if (space.Positions[index].SkipKind == SkipKind.Projection)
        {
            Match proj = ProjectionLayer().Match(rest);
            if (proj.Success)
            {
                mapped = (proj.Groups["n"].Value == "1" ? "conv." : "bn.") + proj.Groups["param"].Value;
            }
        }

        return mapped is null ? null : $"blocks.{index}.op.{mapped}";
    }

    [GeneratedRegex(@"^encoder\.residuals\.(?<i>\d+)\.op\.(?<rest>.+)$")]
    private static partial Regex BlockKey();

    [GeneratedRegex(@"^(?<n>\d)\.(?<param>[a-z_]+)$")]
    private static partial Regex SequentialLayer();

    [GeneratedRegex(@"^conv_(?<b>[12])\.(?<n>[01])\.(?<param>[a-z_]+)$")]
    private static partial Regex FactorizedReduceLayer();

    [GeneratedRegex(@"^op\.(?<n>[12])\.(?<param>[a-z_]+)$")]
    private static partial Regex ProjectionLayer();
}
