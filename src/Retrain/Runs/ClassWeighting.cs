using System.Globalization;
using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Training.Losses;

namespace Nas.Retrain.Runs;

/// <summary>Resolves <c>--class-weights</c>: none, ENet weighting from the training labels, or a file.</summary>
public static class ClassWeighting
{
    public static float[]? Resolve(string spec, SegmentationDataset train)
    {
        switch (spec.ToLowerInvariant())
        {
            case "none" or "":
                return null;
            case "enet":
                return SegmentationLoss.EnetWeights(CountPixels(train));
        }

        if (!File.Exists(spec))
        {
            throw new NasException($"--class-weights: expected none, enet or a file of weights; '{spec}' does not exist");
        }

        string[] tokens = File.ReadAllText(spec).Split([',', ' ', '\n', '\r', '\t', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
        var weights = new float[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!float.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i]) || !(weights[i] >= 0) || float.IsInfinity(weights[i]))
            {
                throw new NasException($"{spec}: weight {i + 1} ('{tokens[i]}') is not a finite number >= 0");
            }
        }

        if (weights.Length != train.Info.ClassCount)
        {
            throw new NasException($"{spec}: has {weights.Length} weights, the dataset has {train.Info.ClassCount} classes");
        }

        return weights;
    }

    public static long[] CountPixels(SegmentationDataset dataset)
    {
        int classes = dataset.Info.ClassCount;
        var total = new long[classes];
        var gate = new Lock();
        Parallel.ForEach(dataset.Samples, sample =>
        {
            LabelMap label = dataset.LoadLabel(sample);
            var local = new long[classes];
            foreach (byte v in label.Indices)
            {
                if (v < classes)
                {
                    local[v]++;
                }
            }

            lock (gate)
            {
                for (int c = 0; c < classes; c++)
                {
                    total[c] += local[c];
                }
            }
        });
        return total;
    }
}
