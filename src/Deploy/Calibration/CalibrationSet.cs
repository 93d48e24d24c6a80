using Nas.Core;
using Nas.Deploy.Graphs;
using Nas.Onnx.Protos;

namespace Nas.Deploy.Calibration;

/// <summary>
/// Inputs to run a model on for calibration or comparison: <see cref="Count"/> samples loaded on demand (each pass
/// over the set loads them again, so a large set never sits in memory), all shaped as <see cref="Shapes"/>.
/// </summary>
public sealed class CalibrationSet
{
    private readonly Func<int, CalibrationSample> _load;

    public CalibrationSet(string description, int count, IReadOnlyDictionary<string, long[]> shapes, Func<int, CalibrationSample> load)
    {
        if (count < 1)
        {
            throw new NasException($"calibration data '{description}' is empty");
        }

        Description = description;
        Count = count;
        Shapes = shapes;
        _load = load;
    }

    /// <summary>What the samples are (dataset, split and count, or the generator and seed).</summary>
    public string Description { get; }

    public int Count { get; }

    /// <summary>The concrete shape of each model input (a dynamic batch dimension is 1).</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    public CalibrationSample Load(int index) => _load(index);

    /// <summary>Concrete input shapes of a model: fixed dimensions as they are, a dynamic batch as 1; other dynamic dimensions are an error.</summary>
    public static Dictionary<string, long[]> ConcreteShapes(ModelProto model, string what)
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (TensorSignature input in TensorSignature.Inputs(model))
        {
            if (input.Type != TensorProto.Types.DataType.Float)
            {
                throw new NasException($"{what}: input '{input.Name}' is {input.Type}, not float32; only float inputs can be calibrated");
            }

            long[] shape = input.Shape.Select((d, i) => d < 0 && i == 0 ? 1 : d).ToArray();
            if (shape.Length == 0 || shape.Any(d => d < 1))
            {
                throw new NasException($"{what}: input '{input.Name}' has an unknown size ({input}); export the model with a fixed input size");
            }

            shapes[input.Name] = shape;
        }

        return shapes;
    }

    /// <summary>
    /// Seeded uniform values in [-0.5, 0.5) for every input — the distribution the latency profiler times entries
    /// with, so a per-entry model quantised on it has valid scales for the inputs it is measured on.
    /// </summary>
    public static CalibrationSet Random(ModelProto model, int count, int seed, string what = "model")
    {
        Dictionary<string, long[]> shapes = ConcreteShapes(model, what);
        return new CalibrationSet($"{count} seeded random inputs (seed {seed}, uniform -0.5..0.5)", count, shapes, i =>
        {
            var rng = new System.Random(unchecked((seed * 7919) + i));
            var inputs = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach ((string name, long[] shape) in shapes)
            {
                float[] data = new float[shape.Aggregate(1L, (a, b) => a * b)];
                for (int k = 0; k < data.Length; k++)
                {
                    data[k] = (float)(rng.NextDouble() - 0.5);
                }

                inputs[name] = data;
            }

            return new CalibrationSample(inputs, $"random #{i}");
        });
    }
}
