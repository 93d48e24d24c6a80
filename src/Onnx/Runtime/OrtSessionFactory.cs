using Microsoft.ML.OnnxRuntime;
using Nas.Core;

namespace Nas.Onnx.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions with explicit threads and the chosen execution provider. The NuGet package this
/// build references decides which providers exist: <c>Microsoft.ML.OnnxRuntime</c> (CPU) by default, the GPU package
/// with <c>dotnet build -p:NasOrtGpu=true</c> (see docs/gpu.md); asking for a provider the native library lacks is a
/// clear error, not a silent fallback to the CPU.
/// </summary>
public static class OrtSessionFactory
{
    /// <summary>Session configuration keys: "1" lets idle pool threads spin, "0" makes them sleep.</summary>
    public const string IntraOpSpinningKey = "session.intra_op.allow_spinning";

    public const string InterOpSpinningKey = "session.inter_op.allow_spinning";

    public static InferenceSession Create(string modelPath, OrtOptions options) => Create(options, o => new InferenceSession(modelPath, o), modelPath);

    public static InferenceSession Create(byte[] model, OrtOptions options, string source = "model") => Create(options, o => new InferenceSession(model, o), source);

    public static SessionOptions SessionOptionsFor(OrtOptions options)
    {
        if (options.IntraOpThreads < 1 || options.InterOpThreads < 1)
        {
            throw new NasException($"ONNX Runtime thread counts must be >= 1 (got intra {options.IntraOpThreads}, inter {options.InterOpThreads})");
        }

        var session = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        string spinning = options.AllowSpinning ? "1" : "0";
        session.AddSessionConfigEntry(IntraOpSpinningKey, spinning);
        session.AddSessionConfigEntry(InterOpSpinningKey, spinning);
        try
        {
            switch (options.Provider)
            {
                case ExecutionProvider.Cuda:
                    session.AppendExecutionProvider_CUDA(options.DeviceId);
                    break;
                case ExecutionProvider.TensorRt:
                    using (var trt = new OrtTensorRTProviderOptions())
                    {
                        var settings = new Dictionary<string, string>
                        {
                            ["device_id"] = options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            ["trt_fp16_enable"] = options.TensorRtFp16 ? "1" : "0",
                        };
                        if (options.TensorRtCacheDir is string cache)
                        {
                            Directory.CreateDirectory(cache);
                            settings["trt_engine_cache_enable"] = "1";
                            settings["trt_engine_cache_path"] = cache;
                        }

                        trt.UpdateOptions(settings);
                        session.AppendExecutionProvider_Tensorrt(trt);
                    }

                    session.AppendExecutionProvider_CUDA(options.DeviceId);
                    break;
            }
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            session.Dispose();
            throw new NasException(
                $"ONNX Runtime provider '{options.Provider}' is not available in this build ({e.Message.Split('\n')[0]}). " +
                "Build with a GPU ONNX Runtime: dotnet build -p:NasOrtGpu=true (see docs/gpu.md)", e);
        }

        return session;
    }

    private static InferenceSession Create(OrtOptions options, Func<SessionOptions, InferenceSession> create, string source)
    {
        using SessionOptions session = SessionOptionsFor(options);
        try
        {
            return create(session);
        }
        catch (OnnxRuntimeException e)
        {
            throw new NasException($"{source}: ONNX Runtime cannot load the model ({e.Message.Split('\n')[0]})", e);
        }
    }
}
