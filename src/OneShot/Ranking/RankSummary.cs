namespace Nas.OneShot.Ranking;

/// <summary><c>summary.json</c> of a ranking check: rank correlation of inherited-weight and stand-alone mIoU.</summary>
public sealed record RankSummary(
    string Supernet,
    int Samples,
    int RetrainEpochs,
    string Table,
    double KendallTau,
    double SpearmanRho,
    double PearsonR,
    int HeldOutImages,
    string CreatedUtc);
