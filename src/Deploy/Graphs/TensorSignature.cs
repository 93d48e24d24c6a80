using Nas.Onnx.Protos;

namespace Nas.Deploy.Graphs;

/// <summary>A graph input or output: name, element type and shape (a symbolic or unknown dimension is -1).</summary>
public sealed record TensorSignature(string Name, TensorProto.Types.DataType Type, long[] Shape)
{
    public static TensorSignature From(ValueInfoProto info)
    {
        TypeProto.Types.Tensor? t = info.Type?.TensorType;
        long[] shape = t?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1L).ToArray() ?? [];
        return new TensorSignature(info.Name, (TensorProto.Types.DataType)(t?.ElemType ?? 0), shape);
    }

    public static IReadOnlyList<TensorSignature> Inputs(ModelProto model)
    {
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return model.Graph.Input.Where(i => !initializers.Contains(i.Name)).Select(From).ToArray();
    }

    public static IReadOnlyList<TensorSignature> Outputs(ModelProto model) => model.Graph.Output.Select(From).ToArray();

    public override string ToString() => $"{Name} {Type} [{string.Join('x', Shape.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
}
