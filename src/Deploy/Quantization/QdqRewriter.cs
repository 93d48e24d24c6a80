using Nas.Deploy.Graphs;
using Nas.Onnx.Protos;

namespace Nas.Deploy.Quantization;

/// <summary>
/// Rewrites an FP32 graph into QDQ form from a <see cref="QdqPlan"/> and per-tensor parameters: each quantised
/// tensor T gets QuantizeLinear(T) → DequantizeLinear read by all its consumers (a graph output keeps its name on the
/// DequantizeLinear's output); weights become int8 per-channel symmetric initializers (scale = max|w|/127, zero point
/// 0) behind a DequantizeLinear with the channel axis; biases become int32 with scale s_x·s_w, which is what ONNX
/// Runtime's QLinearConv takes. Nodes stay in topological order.
/// </summary>
internal sealed class QdqRewriter
{
    private readonly QdqPlan _plan;
    private readonly IReadOnlyDictionary<string, QuantParams> _params;
    private readonly List<NodeProto> _nodes = [];
    private readonly List<TensorProto> _initializers = [];
    private readonly Dictionary<string, string> _rename = new(StringComparer.Ordinal);
    private readonly HashSet<string> _paramNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Output, float[] Scales)> _weights = new(StringComparer.Ordinal);

    private QdqRewriter(QdqPlan plan, IReadOnlyDictionary<string, QuantParams> parameters)
    {
        _plan = plan;
        _params = parameters;
    }

    public int QuantizeNodes { get; private set; }

    public int DequantizeNodes { get; private set; }

    public static (GraphProto Graph, QdqRewriter Stats) Rewrite(QdqPlan plan, IReadOnlyDictionary<string, QuantParams> parameters)
    {
        var rewriter = new QdqRewriter(plan, parameters);
        return (rewriter.Run(), rewriter);
    }

    private GraphProto Run()
    {
        GraphProto source = _plan.Index.Graph;
        foreach (string input in _plan.Index.Inputs.Where(_plan.Quantized.Contains))
        {
            AddPair(input, input, output: false);
        }

        foreach (NodeProto original in source.Node)
        {
            if (_plan.Removed.Contains(original))
            {
                continue;
            }

            NodeProto node = original.Clone();
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (_rename.TryGetValue(node.Input[i], out string? renamed))
                {
                    node.Input[i] = renamed;
                }
            }

            if (_plan.Weighted.TryGetValue(original, out int axis))
            {
                QuantParams x = Params(_plan.Resolve(original.Input[0]));
                (string weight, float[] scales) = Weight(original.Input[1], axis);
                node.Input[1] = weight;
                if (node.Input.Count > 2 && node.Input[2].Length > 0)
                {
                    node.Input[2] = Bias(original, original.Input[2], x.Scale, scales);
                }
            }

            var pending = new List<(string Tensor, string Producer)>();
            for (int o = 0; o < node.Output.Count; o++)
            {
                string tensor = _plan.Resolve(node.Output[o]);
                node.Output[o] = tensor;
                if (_plan.Quantized.Contains(tensor))
                {
                    bool graphOutput = _plan.Index.Outputs.Contains(tensor);
                    if (graphOutput)
                    {
                        node.Output[o] = tensor + "::f";
                    }

                    pending.Add((tensor, node.Output[o]));
                }
            }

            _nodes.Add(node);
            foreach ((string tensor, string producer) in pending)
            {
                AddPair(tensor, producer, _plan.Index.Outputs.Contains(tensor));
            }
        }

        var graph = source.Clone();
        graph.Node.Clear();
        graph.Node.AddRange(_nodes);
        var used = _nodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var kept = source.Initializer.Where(t => used.Contains(t.Name)).Concat(_initializers).ToArray();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(kept);
        var initializerNames = source.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var dropInputs = graph.Input.Where(i => initializerNames.Contains(i.Name) && !used.Contains(i.Name)).ToArray();
        foreach (ValueInfoProto i in dropInputs)
        {
            graph.Input.Remove(i);
        }

        return graph;
    }

    private QuantParams Params(string tensor) => _params[_plan.Root(tensor)];

    /// <summary>QuantizeLinear(producer) → DequantizeLinear; consumers read the dequantised tensor.</summary>
    private void AddPair(string tensor, string producer, bool output)
    {
        string root = _plan.Root(tensor);
        (string scale, string zeroPoint) = ParamInitializers(root);
        string q = tensor + "::q";
        string dq = output ? tensor : tensor + "::dq";
        _nodes.Add(Node("QuantizeLinear", tensor + "::quantize", [producer, scale, zeroPoint], q));
        _nodes.Add(Node("DequantizeLinear", tensor + "::dequantize", [q, scale, zeroPoint], dq));
        QuantizeNodes++;
        DequantizeNodes++;
        if (!output)
        {
            _rename[tensor] = dq;
        }
    }

    private (string Scale, string ZeroPoint) ParamInitializers(string root)
    {
        string scale = root + "::scale", zeroPoint = root + "::zero_point";
        if (_paramNames.Add(root))
        {
            QuantParams p = _params[root];
            _initializers.Add(TensorData.Float(scale, [p.Scale]));
            _initializers.Add(TensorData.UInt8(zeroPoint, [p.ZeroPoint]));
        }

        return (scale, zeroPoint);
    }

    private (string Output, float[] Scales) Weight(string name, int axis)
    {
        if (_weights.TryGetValue(name, out var done))
        {
            return done;
        }

        TensorProto w = _plan.Index.Initializers[name];
        float[] values = TensorData.Floats(w);
        long[] shape = TensorData.Shape(w);
        (sbyte[] q, float[] scales) = WeightQuantizer.Symmetric(values, shape, axis);
        _initializers.Add(TensorData.Int8(name + "::int8", q, shape));
        long[] paramShape = axis < 0 ? [] : [scales.Length];
        _initializers.Add(TensorData.Float(name + "::scale", scales, paramShape));
        _initializers.Add(TensorData.Int8(name + "::zero_point", new sbyte[scales.Length], paramShape));
        string output = name + "::dq";
        NodeProto dq = Node("DequantizeLinear", name + "::dequantize", [name + "::int8", name + "::scale", name + "::zero_point"], output);
        if (axis >= 0)
        {
            dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
        }

        _nodes.Add(dq);
        DequantizeNodes++;
        _weights[name] = (output, scales);
        return (output, scales);
    }

    private string Bias(NodeProto node, string name, float inputScale, float[] weightScales)
    {
        float[] bias = TensorData.Floats(_plan.Index.Initializers[name]);
        float[] scales = new float[weightScales.Length == 1 ? 1 : bias.Length];
        for (int c = 0; c < scales.Length; c++)
        {
            scales[c] = inputScale * weightScales[weightScales.Length == 1 ? 0 : c];
        }

        int[] q = new int[bias.Length];
        for (int c = 0; c < bias.Length; c++)
        {
            double v = Math.Round(bias[c] / (double)scales[scales.Length == 1 ? 0 : c]);
            q[c] = (int)Math.Clamp(v, int.MinValue, int.MaxValue);
        }

        string prefix = $"{name}::{node.Name}";
        long[] paramShape = scales.Length == 1 ? [] : [scales.Length];
        _initializers.Add(TensorData.Int32(prefix + "::int32", q, bias.Length));
        _initializers.Add(TensorData.Float(prefix + "::scale", scales, paramShape));
        _initializers.Add(TensorData.Int32(prefix + "::zero_point", new int[scales.Length], paramShape));
        NodeProto dq = Node("DequantizeLinear", prefix + "::dequantize", [prefix + "::int32", prefix + "::scale", prefix + "::zero_point"], prefix + "::dq");
        if (scales.Length > 1)
        {
            dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        }

        _nodes.Add(dq);
        DequantizeNodes++;
        return prefix + "::dq";
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
