using Nas.Core.Tensors;
using static TorchSharp.torch;

namespace Nas.Training.Tensors;

/// <summary>Copies between TorchSharp tensors and torch-free <see cref="TensorData"/> (the stored form).</summary>
public static class TorchTensors
{
    public static TensorData ToData(string name, Tensor tensor)
    {
        using Tensor cpu = tensor.detach().cpu().contiguous();
        byte[] bytes = cpu.numel() == 0 ? [] : cpu.bytes.ToArray();
        return new TensorData(name, DType(cpu.dtype, name), cpu.shape, bytes);
    }

    public static Tensor ToTensor(TensorData data)
    {
        Tensor t = empty(data.Shape.ToArray(), ScalarTypeOf(data.DType));
        if (data.Bytes.Length > 0)
        {
            t.bytes = data.Bytes;
        }

        return t;
    }

    /// <summary>Every tensor of a module's state dict, in state-dict order.</summary>
    public static IEnumerable<TensorData> StateOf(nn.Module module) => module.state_dict().Select(kv => ToData(kv.Key, kv.Value));

    private static TensorDType DType(ScalarType type, string name) => type switch
    {
        ScalarType.Float32 => TensorDType.Float32,
        ScalarType.Float64 => TensorDType.Float64,
        ScalarType.Float16 => TensorDType.Float16,
        ScalarType.BFloat16 => TensorDType.BFloat16,
        ScalarType.Int64 => TensorDType.Int64,
        ScalarType.Int32 => TensorDType.Int32,
        ScalarType.Int16 => TensorDType.Int16,
        ScalarType.Int8 => TensorDType.Int8,
        ScalarType.Byte => TensorDType.UInt8,
        ScalarType.Bool => TensorDType.Bool,
        _ => throw new NotSupportedException($"tensor '{name}' has element type {type}, which checkpoints do not store"),
    };

    private static ScalarType ScalarTypeOf(TensorDType type) => type switch
    {
        TensorDType.Float32 => ScalarType.Float32,
        TensorDType.Float64 => ScalarType.Float64,
        TensorDType.Float16 => ScalarType.Float16,
        TensorDType.BFloat16 => ScalarType.BFloat16,
        TensorDType.Int64 => ScalarType.Int64,
        TensorDType.Int32 => ScalarType.Int32,
        TensorDType.Int16 => ScalarType.Int16,
        TensorDType.Int8 => ScalarType.Int8,
        TensorDType.UInt8 => ScalarType.Byte,
        _ => ScalarType.Bool,
    };
}
