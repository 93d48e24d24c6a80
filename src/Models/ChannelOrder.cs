namespace Nas.Models;

/// <summary>The order of the colour channels a network reads (PIL/torchvision: RGB; OpenCV/Caffe code: BGR).</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}
