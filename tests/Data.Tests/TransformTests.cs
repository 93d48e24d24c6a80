using Nas.Data.Images;
using Nas.Data.Synthetic;
using Nas.Data.Transforms;

namespace Nas.Data.Tests;

public class TransformTests
{
    private static readonly float[] s_mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] s_std = [0.229f, 0.224f, 0.225f];

    [Fact]
    public void TrainPipelineNeverInterpolatesLabels()
    {
        (RgbImage image, LabelMap label) = SyntheticRailGenerator.Generate(128, 64, 3, 0);
        var present = label.Indices.ToHashSet();
        var options = TransformOptions.ForTraining(48, 96);
        for (int i = 0; i < 20; i++)
        {
            (float[] chw, byte[] labels) = SegmentationTransform.Train(image, label, options, new Random(i));
            Assert.Equal(3 * 48 * 96, chw.Length);
            Assert.Equal(48 * 96, labels.Length);
            Assert.All(labels, v => Assert.True(present.Contains(v) || v == 255, $"value {v}"));
        }

        (float[] resized, byte[] evalLabels, int h, int w) = SegmentationTransform.Eval(image, label, TransformOptions.ForEvaluation(37, 101));
        Assert.Equal((37, 101), (h, w));
        Assert.Equal(3 * 37 * 101, resized.Length);
        Assert.All(evalLabels, v => Assert.Contains(v, present));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CropsLargerThanTheImagePadLabelsWith255(bool mean)
    {
        RgbImage image = TreeBuilder.Image(32, 16, 4);
        LabelMap label = TreeBuilder.Label(32, 16, (x, y) => (byte)((x + y) % 5));
        var options = new TransformOptions { Height = 24, Width = 40, ScaleMin = 1, ScaleMax = 1, Flip = false, Jitter = 0, PadImageWithMean = mean };
        (float[] chw, byte[] labels) = SegmentationTransform.Train(image, label, options, new Random(1));
        int plane = 24 * 40;
        for (int y = 0; y < 24; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                int o = (y * 40) + x;
                if (y < 16 && x < 32)
                {
                    Assert.Equal(label[x, y], labels[o]);
                    Assert.Equal(((image.Pixels[((y * 32) + x) * 3] / 255f) - s_mean[0]) / s_std[0], chw[o], 4);
                }
                else
                {
                    Assert.Equal(255, labels[o]);
                    for (int c = 0; c < 3; c++)
                    {
                        float fill = mean ? MathF.Round(s_mean[c] * 255) / 255f : 0f;
                        Assert.Equal((fill - s_mean[c]) / s_std[c], chw[(c * plane) + o], 4);
                    }
                }
            }
        }
    }

    [Fact]
    public void FlipMirrorsImageAndLabelTogether()
    {
        LabelMap label = TreeBuilder.Label(8, 4, (x, _) => (byte)x);
        RgbImage image = TreeBuilder.Image(8, 4, 1);
        var options = new TransformOptions { ScaleMin = 1, ScaleMax = 1, Jitter = 0, Flip = true };
        float[] plain = SegmentationTransform.Normalize(image, options);
        bool sawFlip = false, sawPlain = false;
        for (int seed = 0; seed < 16; seed++)
        {
            (float[] chw, byte[] labels) = SegmentationTransform.Train(image, label, options, new Random(seed));
            bool flipped = labels[0] == 7;
            sawFlip |= flipped;
            sawPlain |= !flipped;
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < 4; y++)
                {
                    for (int x = 0; x < 8; x++)
                    {
                        int source = flipped ? 7 - x : x;
                        Assert.Equal(source, labels[(y * 8) + x]);
                        Assert.Equal(plain[(c * 32) + (y * 8) + source], chw[(c * 32) + (y * 8) + x]);
                    }
                }
            }
        }

        Assert.True(sawFlip && sawPlain);
    }

    [Fact]
    public void ScaleRangeChangesTheContentOfAFixedCrop()
    {
        // A label that is 0 left of x = 64 and 1 right of it: at scale 2 a 64x128 crop shows a different mix than at 1.
        RgbImage image = TreeBuilder.Image(128, 64, 2);
        LabelMap label = TreeBuilder.Label(128, 64, (x, _) => (byte)(x < 64 ? 0 : 1));
        var identity = new TransformOptions { Height = 64, Width = 128, ScaleMin = 1, ScaleMax = 1, Flip = false, Jitter = 0 };
        Assert.Equal(label.Indices, SegmentationTransform.Train(image, label, identity, new Random(0)).Label);
        var half = identity with { ScaleMin = 0.5, ScaleMax = 0.5 };
        byte[] small = SegmentationTransform.Train(image, label, half, new Random(0)).Label;
        Assert.Equal(64 * 128 * 3 / 4, small.Count(v => v == 255)); // a 32x64 image in a 64x128 crop
    }

    [Fact]
    public void JitterChangesImagesButNeverLabels()
    {
        (RgbImage image, LabelMap label) = SyntheticRailGenerator.Generate(64, 32, 1, 1);
        var still = new TransformOptions { ScaleMin = 1, ScaleMax = 1, Flip = false, Jitter = 0 };
        var jittered = still with { Jitter = 0.4 };
        (float[] a, byte[] la) = SegmentationTransform.Train(image, label, still, new Random(3));
        (float[] b, byte[] lb) = SegmentationTransform.Train(image, label, jittered, new Random(3));
        Assert.Equal(la, lb);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void NearestResizeKeepsOnlyOriginalValues()
    {
        LabelMap label = TreeBuilder.Label(10, 6, (x, y) => (byte)((x * 6) + y));
        LabelMap up = SegmentationTransform.ResizeNearest(label, 17, 23);
        LabelMap down = SegmentationTransform.ResizeNearest(label, 3, 4);
        Assert.All(up.Indices.Concat(down.Indices), v => Assert.Contains(v, label.Indices));
        Assert.Equal(label.Indices, SegmentationTransform.ResizeNearest(SegmentationTransform.ResizeNearest(label, 12, 20), 6, 10).Indices);
    }
}
