using Nas.Core;
using Nas.Deploy.Graphs;
using Nas.Onnx.Protos;

namespace Nas.Deploy.Fp16;

/// <summary>
/// Converts an FP32 model to FP16 compute for GPU runtimes: float initializers, constants, Cast targets and value infos
/// become float16, while the model's float inputs and outputs stay float32 through Cast nodes (so callers feed and
/// read float32 as before). Inputs whose type the operator fixes to float32 keep float32 initializers (Resize's and
/// Upsample's scales; Resize's roi is left as is too); an initializer used in both roles is duplicated. Values beyond
/// the float16 range are clamped to ±65504 (counted in the metadata). ONNX Runtime's CPU provider runs the result
/// (it casts around the ops it has no float16 kernel for), slowly; CUDA and TensorRT run it natively.
/// </summary>
public static class Fp16Converter
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Float16 = (int)TensorProto.Types.DataType.Float16;

    public static ModelProto Convert(ModelProto model, string what = "model")
    {
        if (model.Graph.Node.FirstOrDefault(n => n.OpType is "QuantizeLinear" or "DequantizeLinear") is NodeProto q)
        {
            throw new NasException($"{what}: is quantised (node '{q.Name}' is {q.OpType}); convert the FP32 model to FP16 instead");
        }

        ModelProto result = model.Clone();
        GraphProto graph = result.Graph;
        var index = new GraphIndex(graph);
        var keepFloat = new HashSet<string>(StringComparer.Ordinal);
        var halfUse = new HashSet<string>(StringComparer.Ordinal);
        foreach (NodeProto node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                string input = node.Input[i];
                if (input.Length == 0)
                {
                    continue;
                }

                if (MustStayFloat(node.OpType, i))
                {
                    keepFloat.Add(input);
                }
                else
                {
                    halfUse.Add(input);
                }
            }
        }

        long clamped = 0;
        var initializers = new List<TensorProto>();
        var renameForHalf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (TensorProto t in graph.Initializer)
        {
            if (!TensorData.IsFloat(t))
            {
                initializers.Add(t);
                continue;
            }

            bool half = halfUse.Contains(t.Name) || !keepFloat.Contains(t.Name);
            bool single = keepFloat.Contains(t.Name);
            if (single)
            {
                initializers.Add(t);
            }

            if (half)
            {
                string name = single ? t.Name + "::fp16" : t.Name;
                if (single)
                {
                    renameForHalf[t.Name] = name;
                }

                initializers.Add(ToHalf(t, name, ref clamped));
            }
        }

        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);

        var nodes = new List<NodeProto>();
        var inputRename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ValueInfoProto input in graph.Input.Where(i => !index.Initializers.ContainsKey(i.Name)))
        {
            if (input.Type?.TensorType?.ElemType == Float)
            {
                string cast = input.Name + "::fp16";
                nodes.Add(Cast(input.Name + "::to_fp16", input.Name, cast, Float16));
                inputRename[input.Name] = cast;
            }
        }

        var outputs = graph.Output.Where(o => o.Type?.TensorType?.ElemType == Float).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var tail = new List<NodeProto>();
        foreach (NodeProto node in graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                string input = node.Input[i];
                if (inputRename.TryGetValue(input, out string? r))
                {
                    node.Input[i] = r;
                }
                else if (!MustStayFloat(node.OpType, i) && renameForHalf.TryGetValue(input, out string? h))
                {
                    node.Input[i] = h;
                }
            }

            for (int o = 0; o < node.Output.Count; o++)
            {
                if (outputs.Contains(node.Output[o]))
                {
                    string name = node.Output[o];
                    node.Output[o] = name + "::fp16";
                    tail.Add(Cast(name + "::to_fp32", name + "::fp16", name, Float));
                }
            }

            switch (node.OpType)
            {
                case "Cast" when GraphIndex.IntAttribute(node, "to") == Float:
                    node.Attribute.First(a => a.Name == "to").I = Float16;
                    break;
                case "Constant" or "ConstantOfShape" when !(keepFloat.Contains(node.Output[0]) && !halfUse.Contains(node.Output[0])):
                    foreach (AttributeProto a in node.Attribute.Where(a => a.T is not null && a.T.DataType == Float))
                    {
                        a.T = ToHalf(a.T, a.T.Name, ref clamped);
                    }

                    break;
            }

            nodes.Add(node);
        }

        // A tensor that is both a graph output and consumed inside keeps its consumers on the float16 copy.
        foreach (NodeProto node in nodes)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (outputs.Contains(node.Input[i]))
                {
                    node.Input[i] += "::fp16";
                }
            }
        }

        nodes.AddRange(tail);
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        foreach (ValueInfoProto v in graph.ValueInfo.Where(v => v.Type?.TensorType?.ElemType == Float))
        {
            v.Type.TensorType.ElemType = Float16;
        }

        Metadata.Set(result, "precision", "fp16");
        Metadata.Set(result, "fp16_io", "inputs and outputs stay float32 (Cast nodes at the model's boundary)");
        Metadata.Set(result, "fp16_kept_float32", keepFloat.Count == 0 ? "none" : string.Join(",", keepFloat.Order(StringComparer.Ordinal)));
        Metadata.Set(result, "fp16_clamped_values", clamped.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return result;
    }

    /// <summary>Operator inputs whose type is float32 by definition, whatever the compute type.</summary>
    private static bool MustStayFloat(string op, int input) => (op, input) switch
    {
        ("Resize", 1) or ("Resize", 2) or ("Upsample", 1) => true,
        _ => false,
    };

    private static NodeProto Cast(string name, string input, string output, int to)
    {
        var node = new NodeProto { OpType = "Cast", Name = name };
        node.Input.Add(input);
        node.Output.Add(output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to });
        return node;
    }

    private static TensorProto ToHalf(TensorProto t, string name, ref long clamped)
    {
        float[] values = TensorData.Floats(t);
        var half = new Half[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (Math.Abs(v) > 65504f && float.IsFinite(v))
            {
                clamped++;
                v = Math.Sign(v) * 65504f;
            }

            half[i] = (Half)v;
        }

        return TensorData.Half(name, half, TensorData.Shape(t));
    }
}
