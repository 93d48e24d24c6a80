using System.Globalization;
using Nas.Core.Progress;
using Nas.Deploy.Calibration;
using Nas.Onnx.Protos;
using Nas.Onnx.Runtime;

namespace Nas.Deploy.Quantization;

/// <summary>
/// Post-training static INT8 quantisation of an FP32 ONNX model (BatchNorm already folded) into QDQ form for ONNX
/// Runtime: activations uint8 asymmetric per tensor (calibrated), weights int8 symmetric per output channel, biases
/// int32. uint8 activations with int8 weights ("U8S8") are what ONNX Runtime's x86 integer kernels take natively
/// (VNNI's vpdpbusd multiplies unsigned by signed bytes; int8 activations would first be shifted to uint8 by its
/// QDQS8ToU8 transformer), and the asymmetric range gives post-ReLU tensors all 256 levels instead of 128 — it also
/// lets the ReLU disappear into the zero point. See docs/deployment.md.
/// </summary>
public static class Int8Quantizer
{
    public static (ModelProto Model, QuantizationSummary Summary) Quantize(
        ModelProto model,
        CalibrationSet data,
        QuantizationOptions options,
        OrtOptions ort,
        string what = "model",
        IProgress<ProgressInfo>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        QdqPlan plan = QdqPlan.For(model, what);
        IReadOnlyList<string> calibrated = plan.Calibrated;
        Dictionary<string, TensorStatistics> stats = ActivationCollector.Collect(model, calibrated, data, options, ort, what, progress, cancellationToken);
        // Tensors that are (or share their scale with) a graph output keep their full range whatever the method:
        // clipping the logits would change exactly the largest values, which decide the argmax.
        var outputRoots = plan.Quantized.Where(plan.Index.Outputs.Contains).Select(plan.Root).ToHashSet(StringComparer.Ordinal);
        var parameters = new Dictionary<string, QuantParams>(StringComparer.Ordinal);
        foreach (string t in calibrated)
        {
            (float lo, float hi) = RangeEstimator.Range(stats[t], outputRoots.Contains(t) ? options with { Method = CalibrationMethod.MinMax } : options);
            parameters[t] = QuantParams.FromRange(lo, hi);
        }

        (GraphProto graph, QdqRewriter rewriter) = QdqRewriter.Rewrite(plan, parameters);
        ModelProto result = model.Clone();
        result.Graph = graph;
        var summary = new QuantizationSummary(
            plan.QuantizedOps.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            plan.Removed.Count,
            rewriter.QuantizeNodes,
            rewriter.DequantizeNodes,
            calibrated.Count,
            data.Count,
            data.Description);
        Metadata.Set(result, "precision", "int8");
        Metadata.Set(result, "quantization", "QDQ; activations uint8 asymmetric per tensor; weights int8 symmetric per output channel (zero point 0); biases int32 with scale = s_x*s_w");
        Metadata.Set(result, "calibration_method", options.Method.ToString().ToLowerInvariant());
        if (options.Method == CalibrationMethod.Percentile)
        {
            Metadata.Set(result, "calibration_percentile", options.Percentile.ToString("R", CultureInfo.InvariantCulture));
        }

        Metadata.Set(result, "calibration_images", data.Count.ToString(CultureInfo.InvariantCulture));
        Metadata.Set(result, "calibration_data", data.Description);
        return (result, summary);
    }
}
