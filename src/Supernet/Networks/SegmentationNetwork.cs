using Nas.Core.SearchSpaces;
using Nas.Supernet.Heads;
using Nas.Supernet.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Nas.Supernet.Networks;

/// <summary>
/// What standalone networks and the supernet share: the stem (3×3/s2 conv+BN+ReLU), the searchable positions
/// (subclasses), the optional last 1×1 conv and the head. Inputs whose sides are not multiples of 16 are
/// zero-padded at the bottom and right to the next multiple (after normalisation, so padding is the mean colour),
/// and the logits are cropped back to the input size: the heads need the OS8/OS4 skip at exactly 2×/4× the OS16 size.
/// </summary>
public abstract class SegmentationNetwork : nn.Module<Tensor, Tensor>
{
    [TorchSharp.Utils.ComponentName(Name = "stem")]
    private readonly ConvBnRelu _stem;

    [TorchSharp.Utils.ComponentName(Name = "last_conv")]
    private readonly ConvBnRelu? _lastConv;

    [TorchSharp.Utils.ComponentName(Name = "head")]
    private readonly SegmentationHead _head;

    protected SegmentationNetwork(string name, SearchSpace space, int classes)
        : base(name)
    {
        if (classes < 1)
        {
            throw new Nas.Core.NasException($"class count must be >= 1 (got {classes})");
        }

        Space = space;
        Classes = classes;
        _stem = new ConvBnRelu(3, space.StemChannels, 3, stride: 2, padding: 1);
        _lastConv = space.LastConvChannels is int last ? new ConvBnRelu(space.EncoderChannels, last, 1) : null;
        _head = space.Head == HeadKind.LrAspp
            ? new LrAsppHead(space.FinalChannels, space.SkipChannels, space.HeadChannels, classes)
            : new AsppDecoderHead(space.FinalChannels, space.SkipChannels, space.HeadChannels, classes);
    }

    public SearchSpace Space { get; }

    public int Classes { get; }

    public ConvBnRelu Stem => _stem;

    public ConvBnRelu? LastConv => _lastConv;

    public SegmentationHead Head => _head;

    /// <summary>Parameters of the encoder (stem, searchable blocks, last conv): what <c>--freeze-encoder</c> freezes.</summary>
    public IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> EncoderParameters() =>
        named_parameters().Where(p => !p.name.StartsWith("head.", StringComparison.Ordinal));

    /// <summary>Modules of the encoder, e.g. to keep their BatchNormalization statistics fixed while it is frozen.</summary>
    public IEnumerable<nn.Module> EncoderModules() =>
        named_children().Where(c => c.name != "head").Select(c => c.module);

    /// <summary>Parameter-name prefixes of the layers that produce class scores (re-initialised for a new class count).</summary>
    public IReadOnlyList<string> ClassifierPrefixes => _head.ClassifierParameterPrefixes.Select(p => "head." + p).ToArray();

    public override Tensor forward(Tensor input) => Run(input, RunBlock);

    /// <summary>Runs the whole network with <paramref name="block"/> computing each searchable position.</summary>
    protected Tensor Run(Tensor input, Func<int, Tensor, Tensor> block)
    {
        if (input.dim() != 4 || input.shape[1] != 3)
        {
            throw new ArgumentException($"expected an N×3×H×W input, got [{string.Join(", ", input.shape)}]", nameof(input));
        }

        long h = input.shape[2];
        long w = input.shape[3];
        long padH = ((h + InputSize.NetworkStride - 1) / InputSize.NetworkStride * InputSize.NetworkStride) - h;
        long padW = ((w + InputSize.NetworkStride - 1) / InputSize.NetworkStride * InputSize.NetworkStride) - w;
        using Tensor x0 = padH > 0 || padW > 0 ? pad(input, [0, padW, 0, padH]) : input.alias();

        Tensor current = _stem.call(x0);
        Tensor? skip = null;
        for (int i = 0; i < Space.PositionCount; i++)
        {
            Tensor next = block(i, current);
            if (i == Space.SkipBlockIndex)
            {
                skip = next;
            }

            if (!ReferenceEquals(current, skip))
            {
                current.Dispose();
            }

            current = next;
        }

        Tensor features;
        if (_lastConv is not null)
        {
            features = _lastConv.call(current);
            if (!ReferenceEquals(current, skip))
            {
                current.Dispose();
            }
        }
        else
        {
            features = current;
        }

        Tensor logits;
        using (features)
        {
            logits = _head.call(features, skip!);
        }

        if (!ReferenceEquals(skip, features))
        {
            skip!.Dispose();
        }

        if (padH == 0 && padW == 0)
        {
            return logits;
        }

        using (logits)
        {
            return logits[.., .., ..(int)h, ..(int)w].contiguous();
        }
    }

    protected abstract Tensor RunBlock(int position, Tensor input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stem.Dispose();
            _lastConv?.Dispose();
            _head.Dispose();
        }

        base.Dispose(disposing);
    }
}
