using Nas.Core;
using Nas.Deploy.Graphs;
using Nas.Onnx.Protos;

namespace Nas.Deploy.Quantization;

/// <summary>
/// Which tensors of an FP32 graph get a QuantizeLinear/DequantizeLinear pair, following ONNX Runtime's QDQ
/// conventions so that its CPU provider fuses them into integer kernels:
/// <list type="bullet">
/// <item>Conv, ConvTranspose and MatMul with constant weights (QLinearConv/QLinearConvTranspose/QLinearMatMul): the
/// activation input and the output are quantised; weights become int8 initializers behind a DequantizeLinear.</item>
/// <item>Add, Mul, Concat, AveragePool, GlobalAveragePool (QLinearAdd/Mul/Concat/AveragePool/GlobalAveragePool): every
/// activation input and the output.</item>
/// <item>A ReLU (or Clip with minimum 0) whose input comes only from one of those ops is removed: the uint8 output with
/// zero point 0 already clamps at 0, exactly as ONNX Runtime's own quantiser does for asymmetric activations.</item>
/// <item>Data-movement ops (MaxPool, Resize, Slice, Reshape, Transpose, Flatten, Squeeze, Unsqueeze) whose input is
/// quantised get the same scale and zero point on their output, so ONNX Runtime runs them on uint8 directly.</item>
/// </list>
/// Everything else (Sigmoid, Pad, ArgMax, ...) stays float and reads the dequantised values.
/// </summary>
internal sealed class QdqPlan
{
    private static readonly HashSet<string> ActivationOps = new(StringComparer.Ordinal) { "Add", "Mul", "Concat", "AveragePool", "GlobalAveragePool" };

    private static readonly HashSet<string> ShareOps = new(StringComparer.Ordinal) { "MaxPool", "Resize", "Slice", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze" };

    private QdqPlan(GraphIndex index)
    {
        Index = index;
    }

    public GraphIndex Index { get; }

    /// <summary>Quantised nodes with constant weights, and the axis of their per-channel weight scales (-1: per tensor).</summary>
    public Dictionary<NodeProto, int> Weighted { get; } = [];

    /// <summary>Every node whose inputs and output are quantised (weighted ones included).</summary>
    public HashSet<NodeProto> QuantizedOps { get; } = [];

    /// <summary>Removed activations: the producer's output X is renamed to the activation's output Y (X → Y).</summary>
    public Dictionary<string, string> Alias { get; } = new(StringComparer.Ordinal);

    public HashSet<NodeProto> Removed { get; } = [];

    /// <summary>Tensors (names of the rewritten graph, all present in the original one) that get a Q/DQ pair.</summary>
    public HashSet<string> Quantized { get; } = new(StringComparer.Ordinal);

    /// <summary>Tensors that reuse the scale and zero point of another (data movement): tensor → root tensor.</summary>
    public Dictionary<string, string> SharedWith { get; } = new(StringComparer.Ordinal);

    /// <summary>Tensors whose range comes from calibration (the quantised ones that share nothing), in graph order.</summary>
    public IReadOnlyList<string> Calibrated => [.. Quantized.Where(t => !SharedWith.ContainsKey(t)).Order(StringComparer.Ordinal)];

    public string Resolve(string tensor) => Alias.TryGetValue(tensor, out string? y) ? y : tensor;

    public string Root(string tensor) => SharedWith.TryGetValue(tensor, out string? r) ? r : tensor;

    public static QdqPlan For(ModelProto model, string what)
    {
        GraphProto graph = model.Graph;
        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (opset < 13)
        {
            throw new NasException($"{what}: opset {opset} is too old for per-channel QuantizeLinear/DequantizeLinear (needs 13 or newer)");
        }

        if (graph.Node.FirstOrDefault(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" or "QLinearConv") is NodeProto q)
        {
            throw new NasException($"{what}: already quantised (node '{q.Name}' is {q.OpType}); quantise the FP32 model");
        }

        var index = new GraphIndex(graph);
        var plan = new QdqPlan(index);
        Dictionary<string, int> types = FloatTensors.Infer(graph);
        bool Activation(string t) => t.Length > 0 && !index.Initializers.ContainsKey(t) && FloatTensors.IsFloat(types, t);
        bool FloatInit(string t, int rank) => index.Initializers.TryGetValue(t, out TensorProto? w) && TensorData.IsFloat(w) && (rank < 0 || w.Dims.Count == rank);

        foreach (NodeProto node in graph.Node)
        {
            switch (node.OpType)
            {
                case "Conv" or "ConvTranspose" when node.Input.Count >= 2 && Activation(node.Input[0]) && index.Initializers.TryGetValue(node.Input[1], out TensorProto? w)
                    && TensorData.IsFloat(w) && w.Dims.Count >= 3 && (node.Input.Count < 3 || node.Input[2].Length == 0 || FloatInit(node.Input[2], 1)):
                    long group = GraphIndex.IntAttribute(node, "group") ?? 1;
                    plan.Weighted[node] = node.OpType == "Conv" ? 0 : group == 1 ? 1 : -1;
                    plan.QuantizedOps.Add(node);
                    break;
                case "MatMul" when node.Input.Count == 2 && Activation(node.Input[0]) && FloatInit(node.Input[1], 2):
                    plan.Weighted[node] = -1;
                    plan.QuantizedOps.Add(node);
                    break;
                case "MatMul" when node.Input.Count == 2 && Activation(node.Input[0]) && Activation(node.Input[1]):
                    plan.QuantizedOps.Add(node);
                    break;
                default:
                    if (ActivationOps.Contains(node.OpType) && node.Output.Count == 1 && node.Input.Count > 0
                        && (node.OpType is "AveragePool" or "GlobalAveragePool" ? Activation(node.Input[0]) : node.Input.All(Activation)))
                    {
                        plan.QuantizedOps.Add(node);
                    }

                    break;
            }
        }

        foreach (NodeProto node in graph.Node)
        {
            if (node.Input.Count == 0 || node.Output.Count != 1 || !(node.OpType == "Relu" || (node.OpType == "Clip" && ClipsAtZero(node, index))))
            {
                continue;
            }

            string x = node.Input[0];
            if (index.Producer.TryGetValue(x, out NodeProto? p) && plan.QuantizedOps.Contains(p) && p.Output.Count == 1
                && index.ConsumersOf(x).Count == 1 && !index.Outputs.Contains(x))
            {
                plan.Alias[x] = node.Output[0];
                plan.Removed.Add(node);
            }
        }

        foreach (NodeProto node in plan.QuantizedOps)
        {
            int inputs = node.OpType is "AveragePool" or "GlobalAveragePool" || plan.Weighted.ContainsKey(node) ? 1 : node.Input.Count;
            for (int i = 0; i < inputs; i++)
            {
                plan.Quantized.Add(plan.Resolve(node.Input[i]));
            }

            plan.Quantized.Add(plan.Resolve(node.Output[0]));
        }

        foreach (NodeProto node in graph.Node)
        {
            if (ShareOps.Contains(node.OpType) && node.Output.Count == 1 && node.Input.Count > 0 && Activation(node.Input[0]))
            {
                string input = plan.Resolve(node.Input[0]);
                if (plan.Quantized.Contains(input))
                {
                    plan.Quantized.Add(node.Output[0]);
                    plan.SharedWith[node.Output[0]] = plan.Root(input);
                }
            }
        }

        return plan;
    }

    private static bool ClipsAtZero(NodeProto clip, GraphIndex index) =>
        clip.Input.Count > 1 && index.Initializers.TryGetValue(clip.Input[1], out TensorProto? min) && TensorData.IsFloat(min)
        && TensorData.Count(min) == 1 && TensorData.Floats(min)[0] == 0f;
}
