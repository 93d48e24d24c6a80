namespace Nas.Data.Datasets;

/// <summary>One label entry of <c>rs19-config.json</c>.</summary>
public sealed record RailSem19ConfigLabel(string Name, IReadOnlyList<int> Color, string? Readable = null);
