using System.CommandLine;
using Nas.Deploy;
using Nas.Deploy.Calibration;
using Nas.Deploy.Quantization;

namespace Nas.Cli.Commands;

/// <summary>The INT8 calibration options of <c>nas export onnx --int8</c> (and where else a model is quantised with real images).</summary>
internal sealed class CalibrationOptions
{
    public Option<string> Dataset { get; } = new("--calibration-dataset") { Description = "dataset of the calibration images: cityscapes, railsem19, synthetic, voc or folder (required with --int8)" };

    public Option<string> Root { get; } = new("--calibration-root") { Description = "folder of the calibration dataset" };

    public Option<string> Split { get; } = new("--calibration-split") { Description = "split the calibration images come from", DefaultValueFactory = _ => "train" };

    public Option<int> Images { get; } = new("--calibration-images") { Description = "calibration images, evenly spaced over the split", DefaultValueFactory = _ => 32 };

    public Option<bool> Resize { get; } = new("--calibration-resize") { Description = "resize calibration images to the model input (default: they must have its size)" };

    public Option<CalibrationMethod?> Method { get; } = KebabEnum.Option<CalibrationMethod>("--calibration-method", "activation ranges: min-max, percentile or entropy (KL, TensorRT-style); default percentile");

    public Option<double> Percentile { get; } = new("--percentile") { Description = "percentile per tail for --calibration-method percentile", DefaultValueFactory = _ => 99.99 };

    public IEnumerable<Option> All => [Dataset, Root, Split, Images, Resize, Method, Percentile];

    /// <summary>The precision options; validated here, before anything is exported or written.</summary>
    public PrecisionOptions Build(ParseResult parse, Precision precision, int threads)
    {
        bool given = parse.Given(Dataset) || parse.Given(Root);
        var options = new PrecisionOptions
        {
            Precision = precision,
            Calibration = given ? new CalibrationSpec
            {
                Dataset = parse.GetValue(Dataset) ?? string.Empty,
                Root = parse.GetValue(Root) ?? string.Empty,
                Split = parse.GetValue(Split)!,
                Images = parse.GetValue(Images),
                Resize = parse.GetValue(Resize),
            } : null,
            Quantization = new QuantizationOptions { Method = parse.GetValue(Method) ?? CalibrationMethod.Percentile, Percentile = parse.GetValue(Percentile) },
            Threads = threads,
        };
        if (given && (parse.GetValue(Dataset) is null || parse.GetValue(Root) is null))
        {
            throw new Core.NasException("give both --calibration-dataset and --calibration-root");
        }

        options.Validate();
        return options;
    }
}
