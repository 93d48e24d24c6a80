using Nas.Data.Images;

namespace Nas.Data.Tests;

/// <summary>Writes miniature dataset trees (a few 64x128 images) for the tests.</summary>
internal static class TreeBuilder
{
    public static RgbImage Image(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var image = new RgbImage(width, height);
        rng.NextBytes(image.Pixels);
        return image;
    }

    public static LabelMap Label(int width, int height, Func<int, int, byte> value)
    {
        var map = new LabelMap(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                map.Indices[(y * width) + x] = value(x, y);
            }
        }

        return map;
    }

    public static void Cityscapes(string root, string split, string city, int frames, bool trainIds = false)
    {
        for (int f = 0; f < frames; f++)
        {
            string stem = $"{city}_{f:D6}_{19:D6}";
            string imageDir = Path.Combine(root, "leftImg8bit", split, city);
            string labelDir = Path.Combine(root, "gtFine", split, city);
            Directory.CreateDirectory(imageDir);
            Directory.CreateDirectory(labelDir);
            ImageCodec.Write(Path.Combine(imageDir, stem + "_leftImg8bit.png"), Image(128, 64, f));
            // ids: 7 road (top-left), 26 car, 0 unlabeled, 10 rail track (void in evaluation), 23 sky
            LabelMap ids = Label(128, 64, (x, y) => (byte)(y < 16 ? 23 : x < 32 ? 7 : x < 64 ? 26 : x < 96 ? 0 : 10));
            IndexedPng.WriteGray(Path.Combine(labelDir, stem + "_gtFine_labelIds.png"), ids);
            if (trainIds)
            {
                IndexedPng.WriteGray(Path.Combine(labelDir, stem + "_gtFine_labelTrainIds.png"), Label(128, 64, (_, _) => 5));
            }
        }
    }
}
