using Nas.Core.Genotypes;
using Nas.Core.Graphs;
using Nas.Models.Registry;
using Nas.Models.Zoo.Caffe;
using static Nas.Models.Zoo.Caffe.CaffeLayers;

namespace Nas.Models.Zoo.Fcn;

/// <summary>
/// <c>fcn-alexnet</c>: NVIDIA DIGITS' semantic-segmentation example (<c>examples/semantic-segmentation/fcn_alexnet.prototxt</c>),
/// an FCN-32s on AlexNet, layer for layer (docs/zoo/fcn-alexnet.md): conv1 11×11/4 with pad 100, ceil-mode max
/// pooling, LRN after pool1 and pool2, grouped conv2/conv4/conv5 (2 groups), fc6 as a 6×6 and fc7 as a 1×1
/// convolution with dropout 0.5, the 1×1 <c>score_fr</c>, the 63×63 stride-32 per-class transposed convolution
/// <c>upscore</c> (initialised bilinear) and the Crop at offset 18 back to the input size. Caffe's <c>Power</c> shift
/// (x − 116) is input preprocessing, not a node.
/// </summary>
public static class FcnAlexNetGraphs
{
    public const string Family = "fcn";
    public const string Name = "fcn-alexnet";
    public const int DefaultClasses = 21;

    /// <summary>The Crop layer's offset (DIGITS: "the offset value of 18 will work for any dataset").</summary>
    public const int CropOffset = 18;

    /// <summary>
    /// Any size: with pad 100 and ceil-mode pooling fc6 is at least 1×1 and <c>upscore</c> covers the input plus the
    /// crop offset for every size (docs/zoo/fcn-alexnet.md); a failure can only come from shape inference.
    /// </summary>
    public static InputSizeRule SizeRule { get; } = InputSizeRule.Any;

    /// <summary>The class-dependent layers: <c>score_fr</c>, and <c>upscore</c> whose groups are the classes.</summary>
    public static IReadOnlyList<string> ClassifierPrefixes { get; } = ["score_fr.", "upscore."];

    /// <summary>The convolutionalised AlexNet (what DIGITS' net_surgery.py transplants from BVLC AlexNet).</summary>
    public static IReadOnlyList<string> EncoderPrefixes { get; } = ["conv1.", "conv2.", "conv3.", "conv4.", "conv5.", "fc6.", "fc7."];

    public static NetworkSpec Spec(ModelRequest request)
    {
        request.AllowOnly();
        return new NetworkSpec
        {
            Name = Name,
            Architecture = ArchitectureReference.ForModel(Name, request.Options),
            Graph = Graph(request.Classes),
            Classes = request.Classes,
            InputSize = SizeRule,
            ClassifierPrefixes = ClassifierPrefixes,
            EncoderPrefixes = EncoderPrefixes,
            Family = Family,
        };
    }

    public static LayerGraph Graph(int classes)
    {
        var b = new GraphBuilder(Name);
        string input = b.Input("input", 3);
        string x;
        using (b.Group("conv1", "conv 11x11/4 pad 100, max-pool 3x3/2, LRN 5", 8))
        {
            x = Relu(b, "relu1", Conv(b, "conv1", input, 96, 11, 4, 100));
            x = b.LocalResponseNorm(CaffeLayers.Name("norm1"), MaxPool(b, "pool1", x, 3, 2), 5, 1e-4, 0.75, 1.0);
        }

        using (b.Group("conv2", "conv 5x5 g2, max-pool 3x3/2, LRN 5", 2))
        {
            x = Relu(b, "relu2", Conv(b, "conv2", x, 256, 5, pad: 2, group: 2));
            x = b.LocalResponseNorm(CaffeLayers.Name("norm2"), MaxPool(b, "pool2", x, 3, 2), 5, 1e-4, 0.75, 1.0);
        }

        using (b.Group("conv3", "conv 3x3", 1))
        {
            x = Relu(b, "relu3", Conv(b, "conv3", x, 384, 3, pad: 1));
        }

        using (b.Group("conv4", "conv 3x3 g2", 1))
        {
            x = Relu(b, "relu4", Conv(b, "conv4", x, 384, 3, pad: 1, group: 2));
        }

        using (b.Group("conv5", "conv 3x3 g2, max-pool 3x3/2", 2))
        {
            x = MaxPool(b, "pool5", Relu(b, "relu5", Conv(b, "conv5", x, 256, 3, pad: 1, group: 2)), 3, 2);
        }

        using (b.Group("fc6", "fc6 as conv 6x6, dropout 0.5", 1))
        {
            x = b.Dropout(CaffeLayers.Name("drop6"), Relu(b, "relu6", Conv(b, "fc6", x, 4096, 6)), 0.5);
        }

        using (b.Group("fc7", "fc7 as conv 1x1, dropout 0.5", 1))
        {
            x = b.Dropout(CaffeLayers.Name("drop7"), Relu(b, "relu7", Conv(b, "fc7", x, 4096, 1)), 0.5);
        }

        using (b.Group("score_fr", $"conv 1x1 to {classes} classes", 1))
        {
            x = Conv(b, "score_fr", x, classes, 1);
        }

        string logits;
        using (b.Group("upscore", $"deconv 63x63/32 g{classes} (bilinear init), crop at {CropOffset}", 1))
        {
            string up = b.Add(new Core.Graphs.Nodes.ConvTransposeNode
            {
                Name = CaffeLayers.Name("upscore"),
                Inputs = [x],
                InChannels = classes,
                OutChannels = classes,
                Kernel = 63,
                Stride = 32,
                Groups = classes,
                BilinearInit = true,
            }).Name;
            logits = b.CropLike(CaffeLayers.Name("score"), up, input, CropOffset, CropOffset);
        }

        b.Output("logits", logits);
        return b.Build();
    }
}
