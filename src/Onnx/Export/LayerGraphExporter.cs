using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Core.Graphs.Passes;
using Nas.Core.Tensors;
using Nas.Onnx.Graphs;
using Nas.Onnx.Protos;

namespace Nas.Onnx.Export;

/// <summary>
/// Writes a layer graph with its tensors as an ONNX model (IR 8, opset 17), without any tensor library: auxiliary
/// outputs dropped, BatchNorm folded (a graph pass), shapes inferred for the given input size, one ONNX operator (or
/// none, for no-ops such as a crop that crops nothing) per node. Initializers keep the graph's tensor names.
/// </summary>
public static class LayerGraphExporter
{
    /// <summary>A network with one image input <c>input</c> (N×3×H×W) and output <c>logits</c> (or <c>labels</c> with argmax).</summary>
    public static ModelProto Export(LayerGraph graph, IReadOnlyDictionary<string, TensorData> weights, int height, int width, OnnxExportOptions? options = null)
    {
        if (graph.Inputs.Count != 1)
        {
            throw new NasException($"graph '{graph.Name}' has {graph.Inputs.Count} inputs; give a shape for each");
        }

        return Export(graph, weights, [new ValueShape(graph.Inputs[0].Channels, height, width)], options);
    }

    public static ModelProto Export(LayerGraph graph, IReadOnlyDictionary<string, TensorData> weights, IReadOnlyList<ValueShape> inputShapes, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        if (graph.HasChoices)
        {
            throw new NasException($"graph '{graph.Name}' is a supernet (it has choices); derive a network before exporting it");
        }

        var weighted = new WeightedGraph(graph.ForInference(), weights);
        if (options.FoldBatchNorm)
        {
            weighted = BatchNormFolding.Apply(weighted);
        }

        LayerGraph g = weighted.Graph;
        GraphShapes shapes = g.InferShapes(inputShapes);
        var builder = new OnnxGraphBuilder(g.Name);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        long n = options.Batch;
        for (int i = 0; i < g.Inputs.Count; i++)
        {
            ValueShape s = inputShapes[i];
            names[g.Inputs[i].Name] = builder.Input(g.Inputs[i].Name, [n, s.Channels, s.Height, s.Width]);
        }

        var emitter = new NodeEmitter(builder, weighted, shapes, n, names);
        foreach (Node node in g.Nodes)
        {
            emitter.Emit(node);
        }

        foreach (GraphOutput output in g.Outputs)
        {
            ValueShape s = shapes.Of(output.Value);
            string tensor = names[output.Value];
            bool isInput = g.Inputs.Any(i => names[i.Name] == tensor);
            if (options.Argmax && output.Role == OutputRole.Main)
            {
                builder.Output(builder.Rename(builder.ArgMax(tensor, "argmax", 1, keepDims: false), "labels"), [n, s.Height, s.Width], TensorProto.Types.DataType.Int64);
                continue;
            }

            string named = builder.Rename(isInput ? builder.Identity(tensor, "identity") : tensor, output.Name);
            builder.Output(named, [n, s.Channels, s.Height, s.Width], s.Type == ElementType.Int64 ? TensorProto.Types.DataType.Int64 : TensorProto.Types.DataType.Float);
        }

        return builder.Build(options.Metadata, options.DocString);
    }

    /// <summary>Emits one node at a time, tracking graph value → ONNX tensor names.</summary>
    private sealed class NodeEmitter(OnnxGraphBuilder b, WeightedGraph weighted, GraphShapes shapes, long batch, Dictionary<string, string> names)
    {
        public void Emit(Node node)
        {
            string[] x = node.Inputs.Select(v => names[v]).ToArray();
            ValueShape input = shapes.Of(node.Inputs[0]);
            ValueShape output = shapes.Of(node.Output(0));
            string name = node.Name;
            switch (node)
            {
                case ConvNode c:
                    Set(node, b.Op("Conv", name, WithWeights(x[0], node, c.Bias),
                        OnnxGraphBuilder.Ints("kernel_shape", c.Kernel.H, c.Kernel.W), OnnxGraphBuilder.Ints("strides", c.Stride.H, c.Stride.W),
                        OnnxGraphBuilder.Ints("pads", c.Padding.H, c.Padding.W, c.Padding.H, c.Padding.W), OnnxGraphBuilder.Ints("dilations", c.Dilation.H, c.Dilation.W),
                        OnnxGraphBuilder.Int("group", c.Groups)));
                    break;
                case ConvTransposeNode t:
                    Set(node, b.Op("ConvTranspose", name, WithWeights(x[0], node, t.Bias),
                        OnnxGraphBuilder.Ints("kernel_shape", t.Kernel.H, t.Kernel.W), OnnxGraphBuilder.Ints("strides", t.Stride.H, t.Stride.W),
                        OnnxGraphBuilder.Ints("pads", t.Padding.H, t.Padding.W, t.Padding.H, t.Padding.W),
                        OnnxGraphBuilder.Ints("output_padding", t.OutputPadding.H, t.OutputPadding.W), OnnxGraphBuilder.Int("group", t.Groups)));
                    break;
                case BatchNormNode bn:
                    Set(node, b.Op("BatchNormalization", name, [x[0], Tensor(node, "weight"), Tensor(node, "bias"), Tensor(node, "running_mean"), Tensor(node, "running_var")],
                        OnnxGraphBuilder.Float("epsilon", (float)bn.Eps)));
                    break;
                case ActivationNode a:
                    Set(node, a.Function switch
                    {
                        ActivationFunction.Relu => b.Op("Relu", name, [x[0]]),
                        ActivationFunction.Relu6 => b.Op("Clip", name, [x[0], b.Initializer(name + ".min", [0f], []), b.Initializer(name + ".max", [6f], [])]),
                        ActivationFunction.Sigmoid => b.Op("Sigmoid", name, [x[0]]),
                        ActivationFunction.HardSigmoid => b.Op("HardSigmoid", name, [x[0]], OnnxGraphBuilder.Float("alpha", 1f / 6), OnnxGraphBuilder.Float("beta", 0.5f)),
                        ActivationFunction.HardSwish => b.Op("HardSwish", name, [x[0]]),
                        _ => b.Op("Tanh", name, [x[0]]),
                    });
                    break;
                case PReluNode p:
                    float[] slopes = weighted.Floats(node, "weight");
                    Set(node, b.Op("PRelu", name, [x[0], b.Initializer(name + ".weight", slopes, p.Slopes == 1 ? [1] : [p.Slopes, 1, 1])]));
                    break;
                case AddNode:
                    Set(node, b.Op("Add", name, x));
                    break;
                case MulNode:
                    Set(node, b.Op("Mul", name, x));
                    break;
                case ConcatNode:
                    Set(node, b.Op("Concat", name, x, OnnxGraphBuilder.Int("axis", 1)));
                    break;
                case SliceNode s:
                    Set(node, b.Slice(x[0], name, [s.StartH, s.StartW], [s.StartH + output.Height, s.StartW + output.Width], [2, 3]));
                    break;
                case CropLikeNode c:
                    Set(node, c.OffsetH == 0 && c.OffsetW == 0 && input.Height == output.Height && input.Width == output.Width
                        ? x[0]
                        : b.Slice(x[0], name, [c.OffsetH, c.OffsetW], [c.OffsetH + output.Height, c.OffsetW + output.Width], [2, 3]));
                    break;
                case PadNode p:
                    Set(node, b.Pad(x[0], name, [0, 0, p.Top, p.Left, 0, p.ChannelsAfter, p.Bottom, p.Right]));
                    break;
                case PadToMultipleNode:
                    Set(node, output == input ? x[0] : b.Pad(x[0], name, [0, 0, 0, 0, 0, 0, output.Height - input.Height, output.Width - input.Width]));
                    break;
                case AvgPoolNode ap:
                    Pair k = ap.WindowFor(input);
                    Set(node, b.Op("AveragePool", name, [x[0]], OnnxGraphBuilder.Ints("kernel_shape", k.H, k.W), OnnxGraphBuilder.Ints("strides", ap.Stride.H, ap.Stride.W),
                        OnnxGraphBuilder.Ints("pads", ap.Padding.H, ap.Padding.W, ap.Padding.H, ap.Padding.W), OnnxGraphBuilder.Int("ceil_mode", ap.CeilMode ? 1 : 0),
                        OnnxGraphBuilder.Int("count_include_pad", ap.CountIncludePad ? 1 : 0)));
                    break;
                case MaxPoolNode mp:
                    string[] pooled = b.Op("MaxPool", name, [x[0]], mp.ReturnIndices ? 2 : 1, OnnxGraphBuilder.Ints("kernel_shape", mp.Kernel.H, mp.Kernel.W),
                        OnnxGraphBuilder.Ints("strides", mp.Stride.H, mp.Stride.W), OnnxGraphBuilder.Ints("pads", mp.Padding.H, mp.Padding.W, mp.Padding.H, mp.Padding.W),
                        OnnxGraphBuilder.Int("ceil_mode", mp.CeilMode ? 1 : 0));
                    for (int i = 0; i < pooled.Length; i++)
                    {
                        names[node.Output(i)] = pooled[i];
                    }

                    break;
                case MaxUnpoolNode u:
                    string size = b.Initializer(name + ".output_shape", [batch, output.Channels, output.Height, output.Width]);
                    Set(node, b.Op("MaxUnpool", name, [x[0], x[1], size], OnnxGraphBuilder.Ints("kernel_shape", u.Kernel.H, u.Kernel.W),
                        OnnxGraphBuilder.Ints("strides", u.Stride.H, u.Stride.W), OnnxGraphBuilder.Ints("pads", u.Padding.H, u.Padding.W, u.Padding.H, u.Padding.W)));
                    break;
                case GlobalAvgPoolNode:
                    Set(node, b.Op("GlobalAveragePool", name, [x[0]]));
                    break;
                case ResizeNode r:
                    Graphs.ResizeMode mode = r.Mode == Core.Graphs.ResizeMode.Nearest ? Graphs.ResizeMode.Nearest
                        : r.AlignCorners ? Graphs.ResizeMode.BilinearAlignCorners : Graphs.ResizeMode.BilinearHalfPixel;
                    Set(node, b.Resize(x[0], name, [batch, output.Channels, output.Height, output.Width], mode));
                    break;
                case DropoutNode:
                    Set(node, x[0]);
                    break;
                case LocalResponseNormNode l:
                    Set(node, b.Op("LRN", name, [x[0]], OnnxGraphBuilder.Int("size", l.Size), OnnxGraphBuilder.Float("alpha", (float)l.Alpha),
                        OnnxGraphBuilder.Float("beta", (float)l.Beta), OnnxGraphBuilder.Float("bias", (float)l.K)));
                    break;
                default:
                    throw node.Error("has no ONNX lowering");
            }
        }

        private void Set(Node node, string tensor) => names[node.Output(0)] = tensor;

        private string Tensor(Node node, string tensor)
        {
            TensorData t = weighted.Weights.TryGetValue($"{node.Name}.{tensor}", out TensorData? v)
                ? v
                : throw new NasException($"graph '{weighted.Graph.Name}': no value for tensor '{node.Name}.{tensor}'");
            return b.Initializer(t.Name, t.ToFloatArray(), [.. t.Shape]);
        }

        private string[] WithWeights(string x, Node node, bool bias) =>
            bias ? [x, Tensor(node, "weight"), Tensor(node, "bias")] : [x, Tensor(node, "weight")];
    }
}
