namespace Nas.Data.Datasets;

/// <summary>A fixed subset of another split (e.g. the weight and architecture halves of a search's training data).</summary>
public sealed class SubsetDataset : SegmentationDataset
{
    private readonly SegmentationDataset _parent;
    private readonly IReadOnlyList<SampleRef> _samples;

    public SubsetDataset(SegmentationDataset parent, IEnumerable<int> indices, string split)
        : base(parent.Root, split, parent.Info)
    {
        _parent = parent;
        _samples = indices.Select(i => parent.Samples[i]).ToArray();
    }

    public override IReadOnlyList<SampleRef> Samples => _samples;

    public override Images.LabelMap LoadLabel(SampleRef sample) => _parent.LoadLabel(sample);

    /// <summary>Splits a dataset into two disjoint subsets by a seeded permutation: (1 − fraction) and fraction.</summary>
    public static (SubsetDataset First, SubsetDataset Second) Partition(SegmentationDataset dataset, double secondFraction, int seed, string firstName, string secondName)
    {
        if (!(secondFraction > 0) || !(secondFraction < 1))
        {
            throw new Nas.Core.NasException($"split fraction must be in (0, 1) (got {secondFraction})");
        }

        int[] order = Enumerable.Range(0, dataset.Count).ToArray();
        new Random(seed).Shuffle(order);
        int second = Math.Max(1, (int)Math.Round(dataset.Count * secondFraction));
        if (second >= dataset.Count)
        {
            throw new Nas.Core.NasException($"{dataset.Count} images cannot be split into two non-empty parts with fraction {secondFraction}");
        }

        return (new SubsetDataset(dataset, order[second..].Order(), firstName), new SubsetDataset(dataset, order[..second].Order(), secondName));
    }
}
