using System.Numerics;

namespace Nas.Data.Metrics;

/// <summary>
/// A confusion matrix over the valid classes: rows are ground truth, columns predictions, plus one extra column
/// for predictions that are not an evaluation class (they count as misses: a false negative for the ground-truth
/// class and a false positive for no class, as in the official Cityscapes evaluation). Pixels whose ground truth
/// is not a class (255, void) are not counted at all. Thread-safe merge.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;
    private readonly Lock _gate = new();

    public ConfusionMatrix(int classes)
    {
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes));
        }

        Classes = classes;
        _counts = new long[classes * (classes + 1)];
    }

    public int Classes { get; }

    /// <summary>Count of pixels with ground truth <paramref name="truth"/> predicted as <paramref name="predicted"/> (<see cref="Classes"/> = not a class).</summary>
    public long this[int truth, int predicted] => _counts[(truth * (Classes + 1)) + predicted];

    public static ConfusionMatrix FromCounts(long[,] counts)
    {
        int n = counts.GetLength(0);
        var m = new ConfusionMatrix(n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < counts.GetLength(1) && j <= n; j++)
            {
                m._counts[(i * (n + 1)) + j] = counts[i, j];
            }
        }

        return m;
    }

    /// <summary>Adds a prediction/label pair of equal length (values are class indices; labels ≥ classes are ignored).</summary>
    public void Add(ReadOnlySpan<byte> predictions, ReadOnlySpan<byte> labels) => AddCore(predictions, labels);

    /// <summary>Adds int64 predictions (an argmax tensor's data) against byte labels.</summary>
    public void Add(ReadOnlySpan<long> predictions, ReadOnlySpan<byte> labels) => AddCore(predictions, labels);

    /// <summary>Adds int64 predictions against int64 labels (negative labels are ignored like 255).</summary>
    public void Add(ReadOnlySpan<long> predictions, ReadOnlySpan<long> labels) => AddCore(predictions, labels);

    /// <summary>The counts as a matrix of <see cref="Classes"/> rows and <see cref="Classes"/> + 1 columns (the last: not a class).</summary>
    public long[,] ToArray()
    {
        var result = new long[Classes, Classes + 1];
        lock (_gate)
        {
            for (int i = 0; i < Classes; i++)
            {
                for (int j = 0; j <= Classes; j++)
                {
                    result[i, j] = _counts[(i * (Classes + 1)) + j];
                }
            }
        }

        return result;
    }

    public void Add(ConfusionMatrix other)
    {
        if (other.Classes != Classes)
        {
            throw new ArgumentException("class counts differ");
        }

        Merge(other._counts);
    }

    public long TruePositives(int c) => this[c, c];

    /// <summary>Ground-truth pixels of class c predicted as anything else (including non-classes).</summary>
    public long FalseNegatives(int c)
    {
        long row = 0;
        for (int j = 0; j <= Classes; j++)
        {
            row += this[c, j];
        }

        return row - this[c, c];
    }

    /// <summary>Pixels of other valid ground truth predicted as c.</summary>
    public long FalsePositives(int c)
    {
        long column = 0;
        for (int i = 0; i < Classes; i++)
        {
            column += this[i, c];
        }

        return column - this[c, c];
    }

    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _counts.Sum();
            }
        }
    }

    private void AddCore<TPrediction, TLabel>(ReadOnlySpan<TPrediction> predictions, ReadOnlySpan<TLabel> labels)
        where TPrediction : unmanaged, IBinaryInteger<TPrediction>
        where TLabel : unmanaged, IBinaryInteger<TLabel>
    {
        if (predictions.Length != labels.Length)
        {
            throw new ArgumentException($"prediction has {predictions.Length} pixels, label {labels.Length}");
        }

        int n = Classes;
        int stride = n + 1;
        long[] local = new long[_counts.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            long t = long.CreateTruncating(labels[i]);
            if ((ulong)t >= (ulong)n)
            {
                continue;
            }

            long p = long.CreateTruncating(predictions[i]);
            local[(t * stride) + ((ulong)p < (ulong)n ? p : n)]++;
        }

        Merge(local);
    }

    private void Merge(long[] counts)
    {
        lock (_gate)
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                _counts[i] += counts[i];
            }
        }
    }
}
