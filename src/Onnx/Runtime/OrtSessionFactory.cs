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
            if (options.Provider != ExecutionProvider.Cpu)
            {
                RequireProvider(options.Provider);
            }

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
                            ["trt_int8_enable"] = options.TensorRtInt8 ? "1" : "0",
                        };
                        if (options.TensorRtCacheDir is string cache)
                        {
                            CheckCacheFolder(cache);
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
                $"ONNX Runtime provider '{options.Provider}' is in this build but could not start ({e.Message.Split('\n')[0]}); " +
                "it needs an NVIDIA GPU with its driver and the CUDA/cuDNN (and TensorRT) libraries on the library path (see docs/gpu.md)", e);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return session;
    }

    /// <summary>The ONNX Runtime providers compiled into the native library this build carries.</summary>
    public static IReadOnlyList<string> AvailableProviders() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>A one-line error when the native library lacks the provider: the CPU package has neither CUDA nor TensorRT.</summary>
    public static void RequireProvider(ExecutionProvider provider)
    {
        string name = provider switch
        {
            ExecutionProvider.Cuda => "CUDAExecutionProvider",
            ExecutionProvider.TensorRt => "TensorrtExecutionProvider",
            _ => "CPUExecutionProvider",
        };
        IReadOnlyList<string> available = AvailableProviders();
        if (!available.Contains(name))
        {
            throw new NasException(
                $"ONNX Runtime provider '{provider.ToString().ToLowerInvariant()}' is not in this build (it has {string.Join(", ", available)}); " +
                "build the GPU variant with: dotnet build Nas.sln -c Release -p:NasOrtGpu=true (see docs/gpu.md)");
        }
    }

    /// <summary>Creates the TensorRT engine cache folder and proves it is writable; a one-line error otherwise.</summary>
    public static void CheckCacheFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".nas-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new NasException($"TensorRT engine cache folder '{folder}' is not writable ({e.Message})", e);
        }
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
