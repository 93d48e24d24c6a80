namespace Nas.Latency.Tables;

/// <summary>What a lookup-table row costs: a searchable block or one of the fixed parts.</summary>
public enum LutPart
{
    Block,
    Stem,
    LastConv,
    Head,
}
