namespace Nas.Data.Datasets;

/// <summary>The <c>rs19-config.json</c> document: <c>{"labels": [{"name", "color": [r,g,b], "readable"}, ...]}</c> in id order.</summary>
public sealed record RailSem19Config(IReadOnlyList<RailSem19ConfigLabel> Labels);
