using Google.Protobuf;
using Nas.Onnx.Graphs;
using Nas.Onnx.Runtime;

namespace Nas.Latency.Profiling;

/// <summary>
/// The fixed cost of one inference call on a runtime (dispatch, binding, thread wake-up), measured on an empty model.
/// Every block measured alone pays it once; a whole network pays it once, so predictions subtract it per entry.
/// </summary>
public static class RunOverhead
{
    public static byte[] EmptyModel()
    {
        var builder = new OnnxGraphBuilder("empty");
        string x = builder.Input("input", [1, 1, 1, 1]);
        builder.Output(builder.Rename(builder.Identity(x, "identity"), "output"), [1, 1, 1, 1]);
        return builder.Build().ToByteArray();
    }

    public static LatencyStats MeasureOrt(OrtOptions options, ProfileSettings settings) =>
        OrtProfiler.Profile(EmptyModel(), options, settings with { Runs = Math.Max(settings.Runs, 50) }, "empty model");
}
