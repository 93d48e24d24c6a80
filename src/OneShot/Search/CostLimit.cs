namespace Nas.OneShot.Search;

/// <summary>One <c>--table</c>/<c>--max-cost</c> pair: a lookup table CSV (or <c>macs</c>) and the largest allowed cost in its unit.</summary>
public sealed record CostLimit(string Table, double MaxCost);
