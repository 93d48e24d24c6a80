using Nas.Core;
using Nas.Data.Datasets;
using Nas.Data.Images;
using Nas.Data.Synthetic;
using Nas.TestSupport;

namespace Nas.Data.Tests;

public class DatasetTests
{
    [Fact]
    public void CityscapesMapsLabelIdsToTrainIds()
    {
        using var dir = new TempDirectory();
        TreeBuilder.Cityscapes(dir.Path, "val", "aachen", 2);
        SegmentationDataset ds = DatasetCatalog.Open("cityscapes", dir.Path, "val");
        Assert.Equal(2, ds.Count);
        Assert.Equal(19, ds.Info.ClassCount);
        (RgbImage image, LabelMap label) = ds.Load(0);
        Assert.Equal(128, image.Width);
        Assert.Equal(10, label.Indices[0]);              // sky id 23 -> train id 10
        Assert.Equal(0, label.Indices[(20 * 128) + 5]);  // road 7 -> 0
        Assert.Equal(13, label.Indices[(20 * 128) + 40]); // car 26 -> 13
        Assert.Equal(255, label.Indices[(20 * 128) + 70]); // unlabeled 0 -> 255
        Assert.Equal(255, label.Indices[(20 * 128) + 100]); // rail track 10 is not evaluated -> 255
    }

    [Fact]
    public void CityscapesPrefersGeneratedTrainIdFiles()
    {
        using var dir = new TempDirectory();
        TreeBuilder.Cityscapes(dir.Path, "train", "ulm", 1, trainIds: true);
        SegmentationDataset ds = DatasetCatalog.Open("cityscapes", dir.Path, "train");
        Assert.All(ds.Load(0).Label.Indices, v => Assert.Equal(5, v));
    }

    [Fact]
    public void MissingSplitsAndUnpairedFilesAreNamed()
    {
        using var dir = new TempDirectory();
        TreeBuilder.Cityscapes(dir.Path, "val", "aachen", 2);
        Assert.Contains("leftImg8bit", Assert.Throws<NasException>(() => DatasetCatalog.Open("cityscapes", dir.Path, "train")).Message);

        File.Delete(Path.Combine(dir.Path, "gtFine", "val", "aachen", "aachen_000001_000019_gtFine_labelIds.png"));
        NasException e = Assert.Throws<NasException>(() => DatasetCatalog.Open("cityscapes", dir.Path, "val"));
        Assert.Contains("image without label", e.Message);
        Assert.Contains("aachen_000001_000019_leftImg8bit.png", e.Message);
        SegmentationDataset skipped = DatasetCatalog.Open("cityscapes", dir.Path, "val", new DatasetOptions { SkipBad = true });
        Assert.Equal(1, skipped.Count);
        Assert.Single(skipped.Skipped);
    }

    [Fact]
    public void VocPaletteLabelsAreReadAsIndices()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("JPEGImages"));
        Directory.CreateDirectory(dir.Combine("SegmentationClass"));
        Directory.CreateDirectory(dir.Combine("ImageSets", "Segmentation"));
        ImageCodec.Write(dir.Combine("JPEGImages", "2007_000001.jpg"), TreeBuilder.Image(128, 64, 3));
        LabelMap label = TreeBuilder.Label(128, 64, (x, y) => (byte)(x < 10 ? 255 : x < 64 ? 15 : 0));
        IndexedPng.WritePalette(dir.Combine("SegmentationClass", "2007_000001.png"), label, [(0, 0, 0), (128, 0, 0)]);
        File.WriteAllText(dir.Combine("ImageSets", "Segmentation", "val.txt"), "2007_000001\n");
        SegmentationDataset ds = DatasetCatalog.Open("voc", dir.Path, "val");
        Assert.Equal(21, ds.Info.ClassCount);
        Assert.Equal("person", ds.Info.ClassNames[15]);
        Assert.Equal(label.Indices, ds.Load(0).Label.Indices);
    }

    [Fact]
    public void FolderDatasetRejectsLabelValuesOutsideItsClasses()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("images"));
        Directory.CreateDirectory(dir.Combine("labels"));
        File.WriteAllText(dir.Combine("classes.txt"), "background\nrail\nperson\n");
        for (int i = 0; i < 3; i++)
        {
            ImageCodec.Write(dir.Combine("images", $"f{i}.png"), TreeBuilder.Image(128, 64, i));
            IndexedPng.WriteGray(dir.Combine("labels", $"f{i}.png"), TreeBuilder.Label(128, 64, (x, _) => (byte)(i == 2 && x == 5 ? 7 : x % 3)));
        }

        SegmentationDataset ds = DatasetCatalog.Open("folder", dir.Path, "all");
        Assert.Equal(3, ds.Count);
        NasException e = Assert.Throws<NasException>(() => ds.Load(2));
        Assert.Contains("f2.png", e.Message);
        Assert.Contains("value 7", e.Message);
        SegmentationDataset clean = DatasetCatalog.Open("folder", dir.Path, "all", new DatasetOptions { SkipBad = true });
        Assert.Equal(2, clean.Count);
    }

    [Fact]
    public void SyntheticScenesAreDeterministicAndReadByTheRailSem19Loader()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 10, 64, 128, seed: 7);
        (_, LabelMap a) = SyntheticRailGenerator.Generate(128, 64, 7, 3);
        (_, LabelMap b) = SyntheticRailGenerator.Generate(128, 64, 7, 3);
        (_, LabelMap c) = SyntheticRailGenerator.Generate(128, 64, 8, 3);
        Assert.Equal(a.Indices, b.Indices);
        Assert.NotEqual(a.Indices, c.Indices);

        SegmentationDataset all = DatasetCatalog.Open("railsem19", dir.Path, "all");
        Assert.Equal(10, all.Count);
        Assert.Equal("rail-raised", all.Info.ClassNames[17]);
        (RgbImage image, LabelMap label) = all.Load(3);
        Assert.Equal(a.Indices, label.Indices);
        Assert.Equal(RailSem19Classes.Sky, label.Indices[0]); // top-left is sky ...
        Assert.True(image.Pixels[2] > image.Pixels[0]);       // ... and bluish
        Assert.Contains(label.Indices, v => v == RailSem19Classes.RailRaised);
        Assert.Contains(label.Indices, v => v == RailSem19Classes.Trackbed);

        int train = DatasetCatalog.Open("railsem19", dir.Path, "train").Count;
        int val = DatasetCatalog.Open("railsem19", dir.Path, "val").Count;
        int test = DatasetCatalog.Open("synthetic", dir.Path, "test").Count;
        Assert.Equal((8, 1, 1), (train, val, test));
        File.WriteAllText(dir.Combine("list.txt"), "rs00002\nrs00004\n");
        Assert.Equal(2, DatasetCatalog.Open("railsem19", dir.Path, "custom", new DatasetOptions { SplitFile = dir.Combine("list.txt") }).Count);
    }

    [Fact]
    public void CorruptImagesAreNamed()
    {
        using var dir = new TempDirectory();
        SyntheticRailGenerator.WriteDataset(dir.Path, 2, 64, 128, seed: 1);
        File.WriteAllBytes(dir.Combine("jpgs", "rs19_val", "rs00001.jpg"), [1, 2, 3]);
        SegmentationDataset ds = DatasetCatalog.Open("railsem19", dir.Path, "all");
        Assert.Contains("rs00001.jpg", Assert.Throws<NasException>(() => ds.Load(1)).Message);
    }
}
