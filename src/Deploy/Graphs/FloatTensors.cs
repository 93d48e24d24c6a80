using Nas.Onnx.Protos;

namespace Nas.Deploy.Graphs;

/// <summary>
/// A light element-type inference: which tensors of a graph are float32. Good enough to keep quantisation and FP16
/// conversion away from integer tensors (shapes, indices, label maps); it follows the ops' type rules for the few ops
/// that change the type and otherwise takes the type of the first typed input.
/// </summary>
internal static class FloatTensors
{
    private const int Float = (int)TensorProto.Types.DataType.Float;
    private const int Int64 = (int)TensorProto.Types.DataType.Int64;
    private const int Bool = (int)TensorProto.Types.DataType.Bool;

    public static Dictionary<string, int> Infer(GraphProto graph)
    {
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (TensorProto t in graph.Initializer)
        {
            types[t.Name] = t.DataType;
        }

        foreach (ValueInfoProto v in graph.Input)
        {
            if (v.Type?.TensorType is { } t)
            {
                types.TryAdd(v.Name, t.ElemType);
            }
        }

        foreach (NodeProto node in graph.Node)
        {
            int type = node.OpType switch
            {
                "Shape" or "Size" or "ArgMax" or "ArgMin" or "NonZero" => Int64,
                "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "Not" or "And" or "Or" or "Xor" or "IsNaN" or "IsInf" => Bool,
                "Cast" => (int)(GraphIndex.IntAttribute(node, "to") ?? 0),
                "Constant" => node.Attribute.FirstOrDefault(a => a.Name == "value")?.T?.DataType ?? 0,
                "ConstantOfShape" => node.Attribute.FirstOrDefault(a => a.Name == "value")?.T?.DataType ?? Float,
                "QuantizeLinear" => node.Input.Count > 2 && types.TryGetValue(node.Input[2], out int zp) ? zp : (int)TensorProto.Types.DataType.Uint8,
                "DequantizeLinear" => Float,
                _ => node.Input.Where(i => i.Length > 0).Select(i => types.GetValueOrDefault(i)).FirstOrDefault(t => t != 0),
            };
            for (int o = 0; o < node.Output.Count; o++)
            {
                // Index outputs (MaxPool's second, TopK's second) are int64.
                types[node.Output[o]] = o > 0 && node.OpType is "MaxPool" or "TopK" ? Int64 : type;
            }
        }

        return types;
    }

    public static bool IsFloat(Dictionary<string, int> types, string tensor) => types.TryGetValue(tensor, out int t) && t == Float;
}
