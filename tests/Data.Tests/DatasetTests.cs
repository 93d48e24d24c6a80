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

        // A truncated JPEG still has a valid header: it must fail, not decode into a half-grey image.
        string first = dir.Combine("jpgs", "rs19_val", "rs00000.jpg");
        byte[] jpeg = File.ReadAllBytes(first);
        File.WriteAllBytes(first, jpeg[..(jpeg.Length / 2)]);
        NasException truncated = Assert.Throws<NasException>(() => ds.Load(0));
        Assert.Contains("rs00000.jpg", truncated.Message);
        Assert.Contains("truncated", truncated.Message);
    }

    [Fact]
    public void DatasetsShareOneInterface()
    {
        using var dir = new TempDirectory();
        TreeBuilder.Cityscapes(dir.Path, "val", "aachen", 1);
        ISegmentationDataset ds = DatasetCatalog.Open("cityscapes", dir.Path, "val");
        Assert.Equal("cityscapes", ds.Name);
        Assert.Equal(255, ds.IgnoreIndex);
        Assert.Equal(19, ds.ClassNames.Count);
        Assert.Equal((70, 130, 180), ds.Palette[10]); // sky
        SegmentationSample sample = ds.Load(0);
        Assert.Equal("aachen_000000_000019", sample.Id);
        Assert.EndsWith("aachen_000000_000019_gtFine_labelIds.png", sample.Source.LabelPath);
        Assert.Equal(sample.Image.Width, sample.Label.Width);
    }

    [Fact]
    public void CityscapesLabelTableMapsBothWays()
    {
        Assert.Equal(35, CityscapesLabels.All.Count);
        Assert.Equal(19, CityscapesLabels.TrainClasses.Count);
        int[] voidIds = [0, 1, 2, 3, 4, 5, 6, 9, 10, 14, 15, 16, 18, 29, 30];
        Assert.All(voidIds, id => Assert.Equal(255, CityscapesLabels.IdToTrainId[id]));
        (int Id, int TrainId)[] pairs = [(7, 0), (8, 1), (11, 2), (12, 3), (13, 4), (17, 5), (19, 6), (20, 7), (21, 8), (22, 9), (23, 10), (24, 11), (25, 12), (26, 13), (27, 14), (28, 15), (31, 16), (32, 17), (33, 18)];
        Assert.All(pairs, p => Assert.Equal(p.TrainId, CityscapesLabels.IdToTrainId[p.Id]));
        Assert.All(pairs, p => Assert.Equal(p.Id, CityscapesLabels.TrainIdToId[p.TrainId]));

        var trainIds = TreeBuilder.Label(20, 1, (x, _) => (byte)(x < 19 ? x : 255));
        LabelMap ids = CityscapesLabels.ToLabelIds(trainIds);
        Assert.Equal(0, ids.Indices[19]); // ignore becomes "unlabeled"
        Assert.Equal(trainIds.Indices, CityscapesLabels.ToTrainIds(ids).Indices);
        Assert.Equal(["flat", "construction", "object", "nature", "sky", "human", "vehicle"], CityscapesLabels.Categories);
    }

    [Fact]
    public void CityscapesErrorsNameTheFile()
    {
        using var dir = new TempDirectory();
        TreeBuilder.Cityscapes(dir.Path, "val", "aachen", 3);

        // A label whose image is missing.
        File.Delete(dir.Combine("leftImg8bit", "val", "aachen", "aachen_000002_000019_leftImg8bit.png"));
        NasException orphan = Assert.Throws<NasException>(() => DatasetCatalog.Open("cityscapes", dir.Path, "val"));
        Assert.Contains("label without image", orphan.Message);
        Assert.Contains("aachen_000002_000019_gtFine_labelIds.png", orphan.Message);
        File.Delete(dir.Combine("gtFine", "val", "aachen", "aachen_000002_000019_gtFine_labelIds.png"));

        // An id that is not a Cityscapes label id.
        IndexedPng.WriteGray(dir.Combine("gtFine", "val", "aachen", "aachen_000001_000019_gtFine_labelIds.png"), TreeBuilder.Label(128, 64, (x, _) => (byte)(x == 3 ? 40 : 7)));
        SegmentationDataset ds = DatasetCatalog.Open("cityscapes", dir.Path, "val");
        NasException value = Assert.Throws<NasException>(() => ds.Load(1));
        Assert.Contains("aachen_000001_000019_gtFine_labelIds.png", value.Message);
        Assert.Contains("label id 40", value.Message);

        // A label of another size than its image.
        IndexedPng.WriteGray(dir.Combine("gtFine", "val", "aachen", "aachen_000001_000019_gtFine_labelIds.png"), TreeBuilder.Label(64, 32, (_, _) => 7));
        NasException size = Assert.Throws<NasException>(() => ds.Load(1));
        Assert.Contains("aachen_000001_000019_gtFine_labelIds.png", size.Message);
        Assert.Contains("label is 32x64 (HxW)", size.Message);

        SegmentationDataset skipping = DatasetCatalog.Open("cityscapes", dir.Path, "val", new DatasetOptions { SkipBad = true });
        Assert.Equal(1, skipping.Count);
        Assert.Contains("label is 32x64 (HxW)", Assert.Single(skipping.Skipped));
    }

    [Fact]
    public void RailSem19ReadsItsConfigAndSplitsDeterministically()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("rs19_val");
        Directory.CreateDirectory(Path.Combine(root, "jpgs", "rs19_val"));
        Directory.CreateDirectory(Path.Combine(root, "uint8", "rs19_val"));
        for (int i = 0; i < 20; i++)
        {
            ImageCodec.Write(Path.Combine(root, "jpgs", "rs19_val", $"rs{i:D5}.jpg"), TreeBuilder.Image(128, 64, i));
            IndexedPng.WriteGray(Path.Combine(root, "uint8", "rs19_val", $"rs{i:D5}.png"), TreeBuilder.Label(128, 64, (x, _) => (byte)(x < 4 ? 255 : x % 3)));
        }

        // The real config carries more keys than name/color/readable; they are tolerated.
        File.WriteAllText(Path.Combine(root, "rs19-config.json"),
            """{"labels": [{"name": "a", "color": [1, 2, 3], "readable": "A", "evaluate": true}, {"name": "b", "color": [4, 5, 6], "readable": "B"}, {"name": "c", "color": [7, 8, 9], "readable": "C"}], "version": 1}""");

        // The parent of rs19_val works as the root too.
        SegmentationDataset all = DatasetCatalog.Open("railsem19", dir.Path, "all");
        Assert.Equal(20, all.Count);
        Assert.Equal(["a", "b", "c"], all.Info.ClassNames);
        Assert.Equal((4, 5, 6), all.Info.Palette[1]);

        string[] Ids(string split, int seed) => DatasetCatalog.Open("railsem19", root, split, new DatasetOptions { SplitSeed = seed }).Samples.Select(s => s.Id).ToArray();
        string[] train = Ids("train", 3), val = Ids("val", 3), test = Ids("test", 3);
        Assert.Equal((16, 2, 2), (train.Length, val.Length, test.Length));
        Assert.Equal(all.Samples.Select(s => s.Id).Order(StringComparer.Ordinal), train.Concat(val).Concat(test).Order(StringComparer.Ordinal));
        Assert.Equal(train, Ids("train", 3));
        Assert.NotEqual(train, Ids("train", 4));

        string list = dir.Combine("split.txt");
        File.WriteAllText(list, "# my split\nrs00003\nrs00007.jpg\n\nrs00099\n");
        NasException unknown = Assert.Throws<NasException>(() => DatasetCatalog.Open("railsem19", root, "mine", new DatasetOptions { SplitFile = list }));
        Assert.Contains("split.txt", unknown.Message);
        Assert.Contains("line 5", unknown.Message);
        Assert.Contains("rs00099", unknown.Message);
        File.WriteAllText(list, "rs00003\nrs00007.jpg\n");
        Assert.Equal(["rs00003", "rs00007"], DatasetCatalog.Open("railsem19", root, "mine", new DatasetOptions { SplitFile = list }).Samples.Select(s => s.Id));
    }

    [Fact]
    public void VocReadsItsSplitListsAndClassFile()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("VOC2012");
        Directory.CreateDirectory(Path.Combine(root, "JPEGImages"));
        Directory.CreateDirectory(Path.Combine(root, "SegmentationClass"));
        Directory.CreateDirectory(Path.Combine(root, "ImageSets", "Segmentation"));
        ImageCodec.Write(Path.Combine(root, "JPEGImages", "a.jpg"), TreeBuilder.Image(128, 64, 1));
        IndexedPng.WritePalette(Path.Combine(root, "SegmentationClass", "a.png"), TreeBuilder.Label(128, 64, (_, _) => 2), [(0, 0, 0), (1, 1, 1), (2, 2, 2)]);
        File.WriteAllText(Path.Combine(root, "ImageSets", "Segmentation", "train.txt"), "a\nb\n");
        File.WriteAllText(Path.Combine(root, "pascal-voc-classes.txt"), "bg\nthing\nother\n");

        NasException missingList = Assert.Throws<NasException>(() => DatasetCatalog.Open("voc", dir.Path, "val"));
        Assert.Contains("val.txt", missingList.Message);
        NasException missingImage = Assert.Throws<NasException>(() => DatasetCatalog.Open("voc", dir.Path, "train"));
        Assert.Contains(Path.Combine("JPEGImages", "b.jpg"), missingImage.Message);

        File.WriteAllText(Path.Combine(root, "ImageSets", "Segmentation", "train.txt"), "a\n");
        SegmentationDataset ds = DatasetCatalog.Open("voc", dir.Path, "train");
        Assert.Equal(["bg", "thing", "other"], ds.Info.ClassNames);
        Assert.All(ds.Load(0).Label.Indices, v => Assert.Equal(2, v));
    }

    [Fact]
    public void FolderSplitsComeFromSubfolders()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("classes.json"), """[{"name": "ground", "color": [10, 20, 30]}, {"name": "rail", "color": [200, 200, 0]}]""");
        foreach ((string split, int n) in new[] { ("train", 3), ("val", 2) })
        {
            Directory.CreateDirectory(dir.Combine("images", split, "seq1"));
            Directory.CreateDirectory(dir.Combine("labels", split, "seq1"));
            for (int i = 0; i < n; i++)
            {
                ImageCodec.Write(dir.Combine("images", split, "seq1", $"{split}{i}.jpg"), TreeBuilder.Image(128, 64, i));
                IndexedPng.WriteGray(dir.Combine("labels", split, "seq1", $"{split}{i}.png"), TreeBuilder.Label(128, 64, (x, _) => (byte)(x % 2)));
            }
        }

        SegmentationDataset train = DatasetCatalog.Open("folder", dir.Path, "train");
        Assert.Equal(["seq1/train0", "seq1/train1", "seq1/train2"], train.Samples.Select(s => s.Id));
        Assert.Equal((200, 200, 0), train.Info.Palette[1]);
        Assert.Equal(5, DatasetCatalog.Open("folder", dir.Path, "all").Count);
        NasException missing = Assert.Throws<NasException>(() => DatasetCatalog.Open("folder", dir.Path, "test"));
        Assert.Contains(Path.Combine("images", "test"), missing.Message);
        Assert.Contains("train, val", missing.Message);

        File.Delete(dir.Combine("images", "val", "seq1", "val1.jpg"));
        NasException orphan = Assert.Throws<NasException>(() => DatasetCatalog.Open("folder", dir.Path, "val"));
        Assert.Contains("label without image", orphan.Message);
        Assert.Contains("val1.png", orphan.Message);
    }
}
