namespace Nas.Core.Graphs;

/// <summary>What a graph output is for.</summary>
public enum OutputRole
{
    /// <summary>The network's prediction (logits); exported and evaluated.</summary>
    Main,

    /// <summary>An auxiliary training output (e.g. DeepLabv3's FCN head): used in the training loss, dropped at export and inference.</summary>
    Auxiliary,
}
