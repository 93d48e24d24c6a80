using Nas.Core.Graphs;

namespace Nas.Core.SearchSpaces;

/// <summary>
/// A kind of candidate operation (inverted residual, skip, ...): how its names read, where it can be built, and the
/// layers it is. Adding an op kind is one implementation registered in <see cref="CandidateOpKinds.All"/>; every
/// backend (TorchSharp, ONNX, costs, lookup tables) works from the layers it writes.
/// </summary>
public interface ICandidateOpKind
{
    /// <summary>Kind name, e.g. <c>inverted-residual</c>.</summary>
    string Name { get; }

    /// <summary>The name pattern, for error messages.</summary>
    string Grammar { get; }

    bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CandidateOp? op);

    /// <summary>Why <paramref name="op"/> cannot be built at <paramref name="position"/>, or null when it can.</summary>
    string? CheckAt(BlockPosition position, CandidateOp op);

    /// <summary>What the op is at a position (for tables), e.g. <c>skip (FactorizedReduce)</c>.</summary>
    string Describe(BlockPosition position, CandidateOp op);

    /// <summary>
    /// Writes the op's layers at <paramref name="position"/>, residual included, reading <paramref name="input"/>;
    /// returns the output value (the input itself for an identity).
    /// </summary>
    string Build(GraphBuilder builder, string input, BlockPosition position, CandidateOp op);
}
