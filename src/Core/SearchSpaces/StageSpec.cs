namespace Nas.Core.SearchSpaces;

/// <summary>One stage ("superblock") of the macro-architecture: every repeat is one searchable position.</summary>
/// <param name="Channels">Output channels of every block of the stage.</param>
/// <param name="Repeats">Number of blocks (searchable positions).</param>
/// <param name="Stride">Stride of the stage's first block (1 or 2); the other blocks have stride 1.</param>
public sealed record StageSpec(int Channels, int Repeats, int Stride);
