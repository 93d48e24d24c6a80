namespace Nas.Core.SearchSpaces;

/// <summary>The segmentation head of a search space (§1.6 of the SqueezeNAS reference).</summary>
public enum HeadKind
{
    /// <summary>LR-ASPP (<c>ASPP_Lite</c>): gated 1×1 branch at OS16 plus an OS8 skip; Small and Large.</summary>
    LrAspp,

    /// <summary>ASPP with grouped dilated branches plus a DeepLabv3+-style decoder on an OS4 skip; XLarge.</summary>
    AsppDecoder,
}
