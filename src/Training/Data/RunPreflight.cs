using System.Globalization;
using Nas.Core;
using Nas.Core.SearchSpaces;
using Nas.Data.Datasets;
using Nas.Data.Images;

namespace Nas.Training.Data;

/// <summary>
/// Checks a training or search run can work before anything is created: the crop must be reachable from the
/// training images (not mostly padding), and the estimated memory of one step must fit the machine. The memory
/// estimate is deliberately low (it ignores the allocator's overhead), so it only refuses runs that cannot fit.
/// </summary>
public static class RunPreflight
{
    // Measured with peak RSS at 256x512, batch 1 vs 4 (train) or 1 vs 2 (search), small space, 2026-12: training
    // 840-930 B per input pixel (squeezenas-mac-small, -lat-small), single-path search 1220 B, soft search 7200 B
    // (13 candidates). The constants sit below the measurements so the check only refuses runs that cannot fit.

    /// <summary>Bytes per input pixel of one training step of a standalone network (forward activations, gradients, workspace).</summary>
    public const double TrainBytesPerPixel = 768;

    /// <summary>Memory of the process not proportional to the batch (runtime, libtorch, network, loader).</summary>
    public const long BaseBytes = 256L << 20;

    /// <summary>Bytes per input pixel of one search step: the sampled path and its contrast path, or every candidate (soft).</summary>
    public static double SearchBytesPerPixel(bool soft, int candidates) => soft ? 512.0 * Math.Max(1, candidates) : 1024;

    /// <summary>
    /// Refuses a crop more than twice as high or wide as the biggest training image can become at the largest
    /// augmentation scale: every crop would be mostly padding (at the memory cost of a far larger input). Reads the
    /// headers of up to 16 images spread over the split.
    /// </summary>
    public static void CheckCrop(DataConfig data, SegmentationDataset train, string option)
    {
        InputSize crop = data.CropSize;
        int maxHeight = 0, maxWidth = 0;
        int count = train.Samples.Count;
        int probes = Math.Min(16, count);
        for (int i = 0; i < probes; i++)
        {
            SampleRef sample = train.Samples[(int)((long)i * count / probes)];
            try
            {
                (int width, int height) = ImageCodec.ReadSize(sample.ImagePath);
                maxHeight = Math.Max(maxHeight, height);
                maxWidth = Math.Max(maxWidth, width);
            }
            catch (NasException)
            {
                // Unreadable images are the loader's business (--skip-bad or a named error).
            }
        }

        if (maxHeight == 0)
        {
            return;
        }

        int reachHeight = (int)Math.Round(maxHeight * data.ScaleMax);
        int reachWidth = (int)Math.Round(maxWidth * data.ScaleMax);
        if (crop.Height > 2 * reachHeight || crop.Width > 2 * reachWidth)
        {
            string scale = data.ScaleMax.ToString("G4", CultureInfo.InvariantCulture);
            throw new NasException(
                $"{option} {crop} is far larger than the training images ({maxHeight}x{maxWidth}), even at the largest augmentation scale {scale} " +
                $"({reachHeight}x{reachWidth}): most of every crop would be padding; use {option} {Math.Min(crop.Height, 2 * reachHeight)}x{Math.Min(crop.Width, 2 * reachWidth)} or smaller");
        }
    }

    /// <summary>Refuses a step whose estimated memory exceeds what this machine (or its container limit) has.</summary>
    public static void CheckMemory(InputSize size, int batch, double bytesPerPixel, string what, string option) =>
        CheckMemory(size, batch, bytesPerPixel, what, option, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    public static void CheckMemory(InputSize size, int batch, double bytesPerPixel, string what, string option, long availableBytes)
    {
        long estimate = Estimate(size, batch, bytesPerPixel);
        if (availableBytes > 0 && estimate > availableBytes)
        {
            throw new NasException(
                $"{option} {size} with --batch {batch} needs about {Gib(estimate)} GiB for {what} " +
                $"(estimate: {batch} × {size.PaddedTo().Pixels.ToString("N0", CultureInfo.InvariantCulture)} pixels × {bytesPerPixel / 1024:G3} KiB per pixel), but this machine has {Gib(availableBytes)} GiB; " +
                $"use a smaller {option} or --batch");
        }
    }

    /// <summary>The estimated memory of one step at <paramref name="size"/> (padded to the network stride) and <paramref name="batch"/>.</summary>
    public static long Estimate(InputSize size, int batch, double bytesPerPixel) =>
        BaseBytes + (long)Math.Min(long.MaxValue / 2, batch * (double)size.PaddedTo().Pixels * bytesPerPixel);

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString(bytes < (10L << 30) ? "F1" : "F0", CultureInfo.InvariantCulture);
}
