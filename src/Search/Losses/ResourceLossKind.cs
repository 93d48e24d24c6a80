namespace Nas.Search.Losses;

/// <summary>How the expected cost enters the search loss.</summary>
public enum ResourceLossKind
{
    /// <summary><c>CE + λ·cost</c> — the SqueezeNAS code's form.</summary>
    Additive,

    /// <summary><c>CE · α · log(cost)^β</c> — FBNet's form (α 0.2, β 0.6); needs costs above 1 unit.</summary>
    Fbnet,

    /// <summary><c>CE + λ·max(0, cost/target − 1)</c> — only cost above the target is penalised.</summary>
    Target,
}
