namespace Nas.Core.Costs;

/// <summary>
/// Geometry of the LR-ASPP gate's average pooling. The official head pools with a 49×49 window at strides
/// (16, 20) and no padding, which needs an OS16 map of at least 49×49 (inputs from 784×784, e.g. 1024×2048
/// where a 64×128 map pools to 1×4). For the smaller maps of search and training crops the window is clamped
/// to the map along each axis, which is global average pooling along that axis; the official behaviour is
/// unchanged wherever it is defined.
/// </summary>
public static class LrAsppPooling
{
    public const int Window = 49;
    public const int StrideH = 16;
    public const int StrideW = 20;

    public static (int KernelH, int KernelW, int StrideH, int StrideW) For(int height, int width) =>
        (Math.Min(Window, height), Math.Min(Window, width), StrideH, StrideW);

    public static (int Height, int Width) OutputSize(int height, int width)
    {
        (int kh, int kw, int sh, int sw) = For(height, width);
        return (((height - kh) / sh) + 1, ((width - kw) / sw) + 1);
    }
}
