using Nas.Core.Statistics;

namespace Nas.Core.Tests;

public class RankCorrelationTests
{
    [Fact]
    public void TextbookValuesWithoutTies()
    {
        double[] x = [1, 2, 3, 4, 5];
        double[] y = [2, 1, 4, 3, 5];
        Assert.Equal(0.6, RankCorrelation.KendallTau(x, y), 12);   // 8 concordant, 2 discordant of 10 pairs
        Assert.Equal(0.8, RankCorrelation.Spearman(x, y), 12);     // 1 - 6·4 / (5·24)
        Assert.Equal(1.0, RankCorrelation.KendallTau(x, x), 12);
        Assert.Equal(-1.0, RankCorrelation.Spearman(x, x.Select(v => -v).ToArray()), 12);
    }

    [Fact]
    public void TiesUseTauBAndAverageRanks()
    {
        double[] x = [1, 2, 2, 3];
        double[] y = [1, 2, 3, 3];
        Assert.Equal(0.8, RankCorrelation.KendallTau(x, y), 12);   // C 4, D 0, one tie in x, one in y: 4 / sqrt(5·5)
        Assert.Equal([1, 2.5, 2.5, 4], RankCorrelation.Ranks(x));
        Assert.Equal(5.0 / 6, RankCorrelation.Spearman(x, y), 12); // Pearson of ranks [1,2.5,2.5,4] and [1,2,3.5,3.5]: 3.75 / 4.5
    }

    [Fact]
    public void ConstantOrTooShortSamplesGiveNaN()
    {
        Assert.True(double.IsNaN(RankCorrelation.KendallTau([1.0], [2.0])));
        Assert.True(double.IsNaN(RankCorrelation.Spearman([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])));
    }
}
