using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Blocks;

namespace Nas.Core.SearchSpaces;

/// <summary>
/// Inverted-residual candidates (reference §1.2), named <c>k{kernel}_e{expansion}_g{groups}[_d{dilation}][_se[{reduction}]][_hswish|_relu6]</c>:
/// 1×1 expansion (groups g; present even at e = 1) + BN + act, k×k depthwise (stride, dilation) + BN + act, optional
/// MobileNetV3-style squeeze-excite (<c>_se</c> = reduction 4, squeeze width rounded to a multiple of 8, hard-sigmoid
/// gate), 1×1 projection (groups g) + BN, and the residual at stride 1 with equal channels. The 13 SqueezeNAS
/// candidates are the plain ReLU ones without SE. The official prefix <c>inverse_residual_</c> is accepted.
/// </summary>
public sealed partial class InvertedResidualOpKind : ICandidateOpKind
{
    private const string OfficialPrefix = "inverse_residual_";

    private InvertedResidualOpKind()
    {
    }

    public static InvertedResidualOpKind Instance { get; } = new();

    public string Name => "inverted-residual";

    public string Grammar => "k<kernel>_e<expansion>_g<groups>[_d<dilation>][_se[<reduction>]][_hswish|_relu6]";

    public static CandidateOp Create(int kernel, int expansion, int groups, int dilation = 1, int seReduction = 0, ActivationFunction activation = ActivationFunction.Relu)
    {
        var name = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"k{kernel}_e{expansion}_g{groups}"));
        if (dilation != 1)
        {
            name.Append(CultureInfo.InvariantCulture, $"_d{dilation}");
        }

        if (seReduction > 0)
        {
            name.Append(seReduction == 4 ? "_se" : string.Create(CultureInfo.InvariantCulture, $"_se{seReduction}"));
        }

        name.Append(activation switch
        {
            ActivationFunction.Relu => string.Empty,
            ActivationFunction.HardSwish => "_hswish",
            ActivationFunction.Relu6 => "_relu6",
            _ => throw new NasException($"inverted-residual candidates support relu, relu6 and hard-swish, not {activation}"),
        });
        return new CandidateOp
        {
            Name = name.ToString(),
            Kind = Instance,
            Kernel = kernel,
            Expansion = expansion,
            Groups = groups,
            Dilation = dilation,
            SeReduction = seReduction,
            Activation = activation,
        };
    }

    public bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CandidateOp? op)
    {
        op = null;
        if (text.StartsWith(OfficialPrefix, StringComparison.Ordinal))
        {
            text = text[OfficialPrefix.Length..];
        }

        Match m = Pattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        int kernel = Int(m.Groups["k"].Value);
        int expansion = Int(m.Groups["e"].Value);
        int groups = Int(m.Groups["g"].Value);
        int dilation = m.Groups["d"].Success ? Int(m.Groups["d"].Value) : 1;
        int se = m.Groups["se"].Success ? (m.Groups["r"].Success ? Int(m.Groups["r"].Value) : 4) : 0;
        ActivationFunction act = m.Groups["act"].Value switch
        {
            "hswish" => ActivationFunction.HardSwish,
            "relu6" => ActivationFunction.Relu6,
            _ => ActivationFunction.Relu,
        };
        if (kernel < 1 || kernel % 2 == 0 || expansion < 1 || groups < 1 || dilation < 1 || (m.Groups["se"].Success && se < 1))
        {
            return false;
        }

        op = Create(kernel, expansion, groups, dilation, se, act);
        return true;
    }

    public string? CheckAt(BlockPosition position, CandidateOp op)
    {
        int hidden = op.HiddenChannels(position.InChannels);
        return position.InChannels % op.Groups != 0 || hidden % op.Groups != 0 || position.OutChannels % op.Groups != 0
            ? $"groups {op.Groups} must divide the input ({position.InChannels}), hidden ({hidden}) and output ({position.OutChannels}) channels"
            : null;
    }

    public string Describe(BlockPosition position, CandidateOp op) => op.Name;

    public string Build(GraphBuilder builder, string input, BlockPosition position, CandidateOp op)
    {
        int hidden = op.HiddenChannels(position.InChannels);
        var spec = new InvertedResidualSpec(position.InChannels, hidden, position.OutChannels, op.Kernel, position.Stride, op.Dilation)
        {
            Groups = op.Groups,
            AlwaysExpand = true,
            SeChannels = op.SeReduction > 0 ? SqueezeExcite.MakeDivisible(hidden / (double)op.SeReduction) : 0,
            Activation = op.Activation,
        };
        return InvertedResidual.Build(builder, input, spec, InvertedResidualNames.SqueezeNas);
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^k(?<k>\d{1,2})_e(?<e>\d{1,2})_g(?<g>\d{1,3})(_d(?<d>\d{1,2}))?(?<se>_se(?<r>\d{1,2})?)?(_(?<act>hswish|relu6))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
