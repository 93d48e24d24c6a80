namespace Nas.Data.Datasets;

/// <summary>A class of a dataset: its name and display colour.</summary>
public sealed record ClassInfo(string Name, byte R, byte G, byte B);
