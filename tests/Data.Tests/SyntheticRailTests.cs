using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Synthetic;
using Nas.TestSupport;

namespace Nas.Data.Tests;

public class SyntheticRailTests
{
    [Fact]
    public void TheSameSeedWritesByteIdenticalLabels()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var c = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(a.Path, 6, 64, 128, seed: 11);
        SyntheticRailGenerator.WriteDataset(b.Path, 6, 64, 128, seed: 11);
        SyntheticRailGenerator.WriteDataset(c.Path, 6, 64, 128, seed: 12);
        for (int i = 0; i < 6; i++)
        {
            string name = Path.Combine("uint8", "rs19_val", $"rs{i:D5}.png");
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, name)), File.ReadAllBytes(Path.Combine(b.Path, name)));
        }

        Assert.NotEqual(File.ReadAllBytes(a.Combine("uint8", "rs19_val", "rs00000.png")), File.ReadAllBytes(c.Combine("uint8", "rs19_val", "rs00000.png")));
        Assert.True(File.Exists(a.Combine("rs19-config.json")));
    }

    [Fact]
    public void LabelsAgreeWithTheDrawnImage()
    {
        // Mean colour of each class over a few scenes: what the label says must look like that class.
        var sum = new double[19, 3];
        var count = new long[19];
        for (int i = 0; i < 8; i++)
        {
            (RgbImage image, LabelMap label) = SyntheticRailGenerator.Generate(128, 64, 5, i);
            Assert.All(label.Indices, v => Assert.True(v < 19, $"label value {v}"));
            for (int p = 0; p < label.Indices.Length; p++)
            {
                int cls = label.Indices[p];
                count[cls]++;
                for (int ch = 0; ch < 3; ch++)
                {
                    sum[cls, ch] += image.Pixels[(p * 3) + ch];
                }
            }

            Assert.Equal(RailSem19Classes.Sky, label.Indices[64]); // top row, middle: sky
        }

        double Mean(byte cls, int ch) => sum[cls, ch] / count[cls];
        Assert.True(Mean(RailSem19Classes.Sky, 2) > Mean(RailSem19Classes.Sky, 0) + 30, "sky is bluish");
        Assert.True(Mean(RailSem19Classes.Vegetation, 1) > Mean(RailSem19Classes.Vegetation, 0), "vegetation is greenish");
        Assert.True(Mean(RailSem19Classes.Vegetation, 1) > Mean(RailSem19Classes.Vegetation, 2), "vegetation is greenish");
        double Brightness(byte cls) => (Mean(cls, 0) + Mean(cls, 1) + Mean(cls, 2)) / 3;
        Assert.True(Brightness(RailSem19Classes.RailRaised) > Brightness(RailSem19Classes.RailTrack) + 40, "rails are bright steel over dark sleepers");
        Assert.All(new[] { RailSem19Classes.RailRaised, RailSem19Classes.Trackbed, RailSem19Classes.RailTrack, RailSem19Classes.Terrain, RailSem19Classes.Pole },
            cls => Assert.True(count[cls] > 0, $"class {cls} is drawn"));
    }

    [Fact]
    public void RailsConvergeTowardsTheHorizon()
    {
        (_, LabelMap label) = SyntheticRailGenerator.Generate(256, 128, 2, 0);
        int RailSpan(int y)
        {
            int first = -1, last = -1;
            for (int x = 0; x < label.Width; x++)
            {
                if (label[x, y] is RailSem19Classes.RailRaised or RailSem19Classes.RailTrack)
                {
                    first = first < 0 ? x : first;
                    last = x;
                }
            }

            return first < 0 ? 0 : last - first;
        }

        int bottom = RailSpan(label.Height - 1);
        Assert.True(bottom > 30, $"the track is wide near the camera ({bottom} px)");
        Assert.True(RailSpan(label.Height * 3 / 4) < bottom);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        using var dir = new TempDirectory();
        Assert.Contains("--count", Assert.Throws<NasException>(() => SyntheticRailGenerator.WriteDataset(dir.Path, 0, 64, 128, 1)).Message);
        Assert.Contains("--size", Assert.Throws<NasException>(() => SyntheticRailGenerator.WriteDataset(dir.Path, 1, 8, 128, 1)).Message);
    }
}
