using Google.Protobuf;
using Nas.Deploy;
using Nas.Deploy.Calibration;
using Nas.Deploy.Fp16;
using Nas.Deploy.Quantization;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Latency.Profiling;

/// <summary>
/// Puts a model that is about to be timed (a table entry, or a whole network in <c>lut check</c>) at the table's
/// precision. INT8 entries are calibrated on the inputs they are timed with (the profiler's seeded uniform values):
/// the QDQ placement — which ops run as integer kernels, which ReLUs fold into zero points — depends only on the
/// graph, so the entry has exactly the structure it has inside a quantised whole network, and the values of the
/// scales do not change the time of an integer kernel. Whole networks in <c>lut check</c> are quantised the same way,
/// so table and check time the same kind of graph. (Accuracy of a deployed model comes from real calibration images:
/// <c>nas export onnx --int8</c>.)
/// </summary>
public static class EntryPrecision
{
    public const int CalibrationSamples = 2;

    public static ModelProto Apply(ModelProto model, Precision precision, string what) => precision switch
    {
        Precision.Fp16 => Fp16Converter.Convert(model, what),
        Precision.Int8 => Int8Quantizer.Quantize(model, CalibrationSet.Random(model, CalibrationSamples, seed: 0, what), new QuantizationOptions { Method = CalibrationMethod.MinMax },
            new OrtOptions { IntraOpThreads = 1 }, what).Model,
        _ => model,
    };

    public static byte[] Apply(byte[] model, Precision precision, string what) =>
        precision == Precision.Fp32 ? model : Apply(ModelProto.Parser.ParseFrom(model), precision, what).ToByteArray();

    /// <summary>The precision recorded in table metadata (null in tables written before precisions existed: FP32).</summary>
    public static Precision Parse(string? text, string where) => text?.ToLowerInvariant() switch
    {
        null or "" or "fp32" => Precision.Fp32,
        "fp16" => Precision.Fp16,
        "int8" => Precision.Int8,
        _ => throw new Core.NasException($"{where}: unknown precision '{text}' (expected fp32, fp16 or int8)"),
    };

    public static string Name(Precision precision) => precision.ToString().ToLowerInvariant();

    /// <summary>The session options of a provider at a precision: TensorRT gets its FP16/INT8 builder flags.</summary>
    public static OrtOptions For(OrtOptions options, Precision precision) => options with
    {
        TensorRtFp16 = options.TensorRtFp16 || precision == Precision.Fp16,
        TensorRtInt8 = options.TensorRtInt8 || precision == Precision.Int8,
    };
}
