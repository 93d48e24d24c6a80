namespace Nas.Data.Datasets;

/// <summary>One image/label pair of a dataset split.</summary>
public sealed record SampleRef(string Id, string ImagePath, string LabelPath);
