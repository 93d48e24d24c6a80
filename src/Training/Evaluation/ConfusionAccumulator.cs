using Nas.Data.Metrics;
using Nas.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Nas.Training.Evaluation;

/// <summary>
/// Accumulates a classes × classes confusion matrix (rows = ground truth, columns = prediction) from tensors,
/// counting only pixels whose label is a valid class (255 and any other out-of-range value are ignored).
/// </summary>
public sealed class ConfusionAccumulator(int classes)
{
    private readonly long[] _counts = new long[classes * classes];

    public int Classes { get; } = classes;

    public ConfusionMatrix Matrix
    {
        get
        {
            var m = new long[Classes, Classes];
            for (int i = 0; i < Classes; i++)
            {
                for (int j = 0; j < Classes; j++)
                {
                    m[i, j] = _counts[(i * Classes) + j];
                }
            }

            return ConfusionMatrix.FromCounts(m);
        }
    }

    /// <summary>Adds predictions (N×H×W class indices) against labels (N×H×W).</summary>
    public void Add(Tensor predictions, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor l = labels.to_type(ScalarType.Int64).flatten();
        Tensor p = predictions.to_type(ScalarType.Int64).flatten();
        Tensor valid = l.ge(0).logical_and(l.lt(Classes));
        using Scalar classes = ((long)Classes).ToScalar();
        Tensor index = l.masked_select(valid).mul(classes).Plus(p.masked_select(valid));
        Tensor counts = index.bincount(null, Classes * Classes).cpu();
        long[] values = counts.data<long>().ToArray();
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += values[i];
        }
    }
}
