namespace Nas.Data.Datasets;

/// <summary>A row of the official Cityscapes label table (cityscapesScripts labels.py).</summary>
public sealed record CityscapesLabel(string Name, int Id, int TrainId, string Category, int CategoryId, bool IgnoreInEval, byte R, byte G, byte B);
