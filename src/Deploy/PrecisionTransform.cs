using Nas.Core.Progress;
using Nas.Deploy.Calibration;
using Nas.Deploy.Fp16;
using Nas.Deploy.Quantization;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy;

/// <summary>
/// The one call the exporters make after building an FP32 model: returns it unchanged (FP32), converted to FP16, or
/// quantised to INT8 with calibration images from <see cref="PrecisionOptions.Calibration"/>. Nothing is written:
/// the caller saves the returned model (atomically), so a failure (bad calibration data) leaves no file behind.
/// </summary>
public static class PrecisionTransform
{
    public static ModelProto Apply(ModelProto model, PrecisionOptions options, IProgress<ProgressInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        switch (options.Precision)
        {
            case Precision.Fp16:
                return Fp16Converter.Convert(model);
            case Precision.Int8:
                CalibrationSet data = CalibrationData.FromDataset(options.Calibration!, model);
                return Int8Quantizer.Quantize(model, data, options.Quantization, new OrtOptions { IntraOpThreads = options.Threads }, "model", progress, cancellationToken).Model;
            default:
                return model;
        }
    }

    /// <summary>The inputs a converted model is compared on: the calibration images when there are any, else generated rail scenes.</summary>
    public static CalibrationSet ComparisonInputs(ModelProto fp32, PrecisionOptions options, int scenes = 4) =>
        options.Calibration is CalibrationSpec spec ? CalibrationData.FromDataset(spec, fp32) : CalibrationData.SyntheticScenes(fp32, scenes, seed: 1);
}
