namespace Nas.Deploy.Verification;

/// <summary>
/// A converted model against its FP32 original on the same inputs: the largest absolute difference of the first
/// output relative to the FP32 output range, and the share of pixels whose argmax (class) agrees.
/// </summary>
public sealed record ComparisonReport(int Samples, double MaxAbsDifference, double OutputRange, double MeanAbsDifference, double ArgmaxAgreement, long Pixels, string Inputs)
{
    public double Relative => OutputRange > 0 ? MaxAbsDifference / OutputRange : MaxAbsDifference;
}
