using Nas.Core;
using Nas.Data.Checking;
using Nas.Data.Images;
using Nas.TestSupport;

namespace Nas.Data.Tests;

public class DatasetCheckerTests
{
    [Fact]
    public void ACleanTreeHasNoProblemsAndAnExactHistogram()
    {
        using var dir = new TempDirectory();
        Folder(dir.Path, 3);
        DatasetCheckResult result = DatasetChecker.Check("folder", dir.Path, "all");
        Assert.True(result.Ok, string.Join("; ", result.Problems));
        Assert.Equal(3, result.Samples);
        // Per image: x < 8 → 255, 8 ≤ x < 64 → 0, x ≥ 64 → 1 (64 rows).
        Assert.Equal([3L * 56 * 64, 3L * 64 * 64, 0L], result.ClassPixels);
        Assert.Equal(3L * 8 * 64, result.IgnoredPixels);
        Assert.Equal([3, 3, 0], result.ClassImages!);
        Assert.Equal(["ground", "rail", "person"], result.ClassNames!);
        Assert.Equal(3, result.ImageSizes["64x128"]);
    }

    [Fact]
    public void EveryKindOfProblemIsListedWithItsFile()
    {
        using var dir = new TempDirectory();
        Folder(dir.Path, 6);
        File.Delete(Path.Combine(dir.Path, "labels", "f0.png"));                                             // image without label
        IndexedPng.WriteGray(Path.Combine(dir.Path, "labels", "f1.png"), TreeBuilder.Label(64, 32, (_, _) => 0)); // size mismatch
        IndexedPng.WriteGray(Path.Combine(dir.Path, "labels", "f2.png"), TreeBuilder.Label(128, 64, (x, _) => (byte)(x == 0 ? 9 : 1))); // value 9
        File.WriteAllBytes(Path.Combine(dir.Path, "images", "f3.png"), [137, 80, 78, 71, 1, 2, 3]);           // corrupt image
        DatasetCheckResult result = DatasetChecker.Check("folder", dir.Path, "all");
        Assert.False(result.Ok);
        Assert.Equal(5, result.Samples);
        Assert.Equal(4, result.Problems.Count);
        Assert.Contains(result.Problems, p => p.Contains("image without label") && p.Contains("f0.png"));
        // Sizes are HxW everywhere, as on the command line and in the "image sizes (HxW)" summary: 64 wide, 32 high is 32x64.
        Assert.Contains(result.Problems, p => p.Contains("f1.png") && p.Contains("label is 32x64 (HxW)") && p.Contains("is 64x128"));
        Assert.Contains(result.Problems, p => p.Contains("f2.png") && p.Contains("9 (64 px)"));
        Assert.Contains(result.Problems, p => p.Contains("f3.png"));
    }

    [Fact]
    public void AMissingSplitIsAnError()
    {
        using var dir = new TempDirectory();
        Assert.Contains("leftImg8bit", Assert.Throws<NasException>(() => DatasetChecker.Check("cityscapes", dir.Path, "val")).Message);
    }

    private static void Folder(string root, int n)
    {
        Directory.CreateDirectory(Path.Combine(root, "images"));
        Directory.CreateDirectory(Path.Combine(root, "labels"));
        File.WriteAllText(Path.Combine(root, "classes.txt"), "ground\nrail\nperson\n");
        for (int i = 0; i < n; i++)
        {
            ImageCodec.Write(Path.Combine(root, "images", $"f{i}.png"), TreeBuilder.Image(128, 64, i));
            IndexedPng.WriteGray(Path.Combine(root, "labels", $"f{i}.png"), TreeBuilder.Label(128, 64, (x, _) => (byte)(x < 8 ? 255 : x < 64 ? 0 : 1)));
        }
    }
}
