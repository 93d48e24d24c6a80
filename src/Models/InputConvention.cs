namespace Nas.Models;

/// <summary>
/// How a network expects its input: RGB scaled to [0, 1] and normalised with <see cref="Mean"/>/<see cref="Std"/>
/// (per channel, RGB order), and the size rule (<see cref="SizeRule"/>, checked against the graph's shape inference).
/// </summary>
public sealed record InputConvention(IReadOnlyList<float> Mean, IReadOnlyList<float> Std, string SizeRule)
{
    /// <summary>ImageNet mean/std, any size (the networks pad to what they need).</summary>
    public static InputConvention ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], "any size");

    public string Normalisation => $"rgb/255, mean {string.Join(",", Mean)}, std {string.Join(",", Std)}";
}
