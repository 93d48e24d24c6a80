namespace Nas.Data.Datasets;

/// <summary>The class set of a dataset. Label value = class index; 255 = ignore.</summary>
public sealed record DatasetInfo(string Name, IReadOnlyList<ClassInfo> Classes)
{
    public const byte IgnoreIndex = 255;

    public int ClassCount => Classes.Count;

    public IReadOnlyList<string> ClassNames => Classes.Select(c => c.Name).ToArray();

    public IReadOnlyList<(byte R, byte G, byte B)> Palette => Classes.Select(c => (c.R, c.G, c.B)).ToArray();
}
