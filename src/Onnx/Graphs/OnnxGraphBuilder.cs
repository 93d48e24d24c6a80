using System.Reflection;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Nas.Onnx.Protos;

namespace Nas.Onnx.Graphs;

/// <summary>
/// Builds an ONNX graph (IR 8, opset 17) op by op with typed helpers for what SqueezeNAS networks need. Each helper
/// returns the name of its output tensor; names are made unique. Weights are float32 initializers (raw_data).
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const long IrVersion = 8;
    public const long Opset = 17;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string name)
    {
        _graph = new GraphProto { Name = name };
    }

    /// <summary>Adds a float32 graph input; a dimension of -1 becomes the symbolic dimension "N".</summary>
    public string Input(string name, long[] shape)
    {
        _graph.Input.Add(ValueInfo(Claim(name), TensorProto.Types.DataType.Float, shape));
        return name;
    }

    public void Output(string tensor, long[] shape, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float) =>
        _graph.Output.Add(ValueInfo(tensor, type, shape));

    /// <summary>Renames the last producer of <paramref name="tensor"/> so that the graph output has a stable name.</summary>
    public string Rename(string tensor, string name)
    {
        foreach (NodeProto node in _graph.Node)
        {
            for (int i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == tensor)
                {
                    node.Output[i] = Claim(name);
                }
            }

            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == tensor)
                {
                    node.Input[i] = name;
                }
            }
        }

        return name;
    }

    public string Initializer(string name, float[] values, long[] shape)
    {
        string n = Unique(name);
        var t = new TensorProto { Name = n, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(shape);
        _graph.Initializer.Add(t);
        return n;
    }

    public string Initializer(string name, long[] values)
    {
        string n = Unique(name);
        var t = new TensorProto { Name = n, DataType = (int)TensorProto.Types.DataType.Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.Add(values.Length);
        _graph.Initializer.Add(t);
        return n;
    }

    /// <summary>2-D convolution with weights [out, in/groups, kH, kW] and an optional bias.</summary>
    public string Conv(string x, string name, float[] weight, long[] weightShape, float[]? bias, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        string w = Initializer(name + ".weight", weight, weightShape);
        var inputs = new List<string> { x, w };
        if (bias is not null)
        {
            inputs.Add(Initializer(name + ".bias", bias, [bias.Length]));
        }

        return Node("Conv", name, inputs,
            Ints("kernel_shape", weightShape[2], weightShape[3]),
            Ints("strides", stride, stride),
            Ints("pads", padding, padding, padding, padding),
            Ints("dilations", dilation, dilation),
            Int("group", groups));
    }

    public string Relu(string x, string name) => Node("Relu", name, [x]);

    public string Sigmoid(string x, string name) => Node("Sigmoid", name, [x]);

    public string Add(string a, string b, string name) => Node("Add", name, [a, b]);

    public string Mul(string a, string b, string name) => Node("Mul", name, [a, b]);

    public string Concat(IReadOnlyList<string> inputs, int axis, string name) => Node("Concat", name, inputs, Int("axis", axis));

    public string AveragePool(string x, string name, int kernelH, int kernelW, int strideH, int strideW, bool countIncludePad) =>
        Node("AveragePool", name, [x],
            Ints("kernel_shape", kernelH, kernelW),
            Ints("strides", strideH, strideW),
            Ints("pads", 0, 0, 0, 0),
            Int("count_include_pad", countIncludePad ? 1 : 0));

    public string GlobalAveragePool(string x, string name) => Node("GlobalAveragePool", name, [x]);

    /// <summary>Resize to explicit output sizes [N, C, H, W].</summary>
    public string Resize(string x, string name, long[] sizes, ResizeMode mode)
    {
        string s = Initializer(name + ".sizes", sizes);
        AttributeProto[] attributes = mode switch
        {
            ResizeMode.BilinearAlignCorners => [Str("mode", "linear"), Str("coordinate_transformation_mode", "align_corners")],
            ResizeMode.BilinearHalfPixel => [Str("mode", "linear"), Str("coordinate_transformation_mode", "half_pixel")],
            _ => [Str("mode", "nearest"), Str("coordinate_transformation_mode", "asymmetric"), Str("nearest_mode", "floor")],
        };
        return Node("Resize", name, [x, string.Empty, string.Empty, s], attributes);
    }

    /// <summary>Slice on the given axes (opset 13+ form: starts/ends/axes as inputs).</summary>
    public string Slice(string x, string name, long[] starts, long[] ends, long[] axes) =>
        Node("Slice", name, [x, Initializer(name + ".starts", starts), Initializer(name + ".ends", ends), Initializer(name + ".axes", axes)]);

    /// <summary>Constant zero padding; <paramref name="pads"/> is [x1_begin, x2_begin, ..., x1_end, x2_end, ...].</summary>
    public string Pad(string x, string name, long[] pads) => Node("Pad", name, [x, Initializer(name + ".pads", pads)], Str("mode", "constant"));

    public string ArgMax(string x, string name, int axis, bool keepDims) => Node("ArgMax", name, [x], Int("axis", axis), Int("keepdims", keepDims ? 1 : 0));

    public string Identity(string x, string name) => Node("Identity", name, [x]);

    public ModelProto Build(IReadOnlyDictionary<string, string>? metadata = null, string? docString = null)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "nas",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
            Graph = _graph,
            DocString = docString ?? string.Empty,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        foreach ((string key, string value) in metadata ?? new Dictionary<string, string>())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    /// <summary>Any operator with one output; returns the output's name.</summary>
    public string Op(string op, string name, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Op(op, name, inputs, 1, attributes)[0];

    /// <summary>Any operator with <paramref name="outputs"/> outputs (named <c>{node}:out</c>, <c>{node}:out1</c>, ...).</summary>
    public string[] Op(string op, string name, IReadOnlyList<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        string nodeName = Unique(name);
        var node = new NodeProto { OpType = op, Name = nodeName };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++)
        {
            names[i] = Unique(i == 0 ? nodeName + ":out" : $"{nodeName}:out{i}");
            node.Output.Add(names[i]);
        }

        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return names;
    }

    private string Node(string op, string name, IReadOnlyList<string> inputs, params AttributeProto[] attributes) => Op(op, name, inputs, attributes);

    private string Unique(string name)
    {
        string candidate = name;
        while (!_names.Add(candidate))
        {
            candidate = $"{name}_{++_counter}";
        }

        return candidate;
    }

    private string Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"ONNX tensor name '{name}' is already used");
        }

        return name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (long d in shape)
        {
            tensorShape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Str(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
