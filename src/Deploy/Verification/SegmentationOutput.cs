using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nas.Core;

namespace Nas.Deploy.Verification;

/// <summary>Class maps from a segmentation model's first output: logits N×C×H×W (argmax over C) or labels N×H×W (int64).</summary>
public static class SegmentationOutput
{
    /// <summary>The class index of every pixel of image <paramref name="image"/>, as bytes (classes ≤ 255).</summary>
    public static byte[] Classes(OrtValue output, int image, string what)
    {
        OrtTensorTypeAndShapeInfo info = output.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        if (info.ElementDataType == TensorElementType.Int64 && shape.Length == 3)
        {
            int plane = (int)(shape[1] * shape[2]);
            ReadOnlySpan<long> labels = output.GetTensorDataAsSpan<long>().Slice(image * plane, plane);
            var result = new byte[plane];
            for (int i = 0; i < plane; i++)
            {
                result[i] = (byte)Math.Clamp(labels[i], 0, 255);
            }

            return result;
        }

        if (info.ElementDataType == TensorElementType.Float && shape.Length == 4)
        {
            return Argmax(output.GetTensorDataAsSpan<float>(), image, (int)shape[1], (int)(shape[2] * shape[3]));
        }

        throw new NasException($"{what}: output of type {info.ElementDataType} and shape [{string.Join('x', shape)}] is neither logits N×C×H×W (float) nor labels N×H×W (int64)");
    }

    public static byte[] Argmax(ReadOnlySpan<float> logits, int image, int classes, int plane)
    {
        var best = new float[plane];
        var result = new byte[plane];
        ReadOnlySpan<float> x = logits.Slice(image * classes * plane, classes * plane);
        x[..plane].CopyTo(best);
        for (int c = 1; c < classes; c++)
        {
            ReadOnlySpan<float> row = x.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                if (row[i] > best[i])
                {
                    best[i] = row[i];
                    result[i] = (byte)c;
                }
            }
        }

        return result;
    }
}
