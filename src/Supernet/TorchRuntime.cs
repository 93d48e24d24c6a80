using Nas.Core;
using TorchSharp;

namespace Nas.Supernet;

/// <summary>Process-wide TorchSharp set-up: thread counts, device selection and seeding.</summary>
public static class TorchRuntime
{
    private static readonly Lock s_gate = new();
    private static int s_threads;

    /// <summary>Sets libtorch's intra-op threads (once per distinct value; libtorch allows changing it).</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1)
        {
            throw new NasException($"--threads must be >= 1 (got {threads})");
        }

        lock (s_gate)
        {
            if (s_threads != threads)
            {
                torch.set_num_threads(threads);
                s_threads = threads;
            }
        }
    }

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>; CUDA needs a CUDA build of TorchSharp (see docs/gpu.md).</summary>
    public static torch.Device ParseDevice(string name)
    {
        string n = name.Trim().ToLowerInvariant();
        if (n == "cpu")
        {
            return torch.CPU;
        }

        if (n.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
            {
                throw new NasException(
                    $"device '{name}' requested but CUDA is not available: this build uses TorchSharp-cpu; reference the TorchSharp-cuda-linux package (see docs/gpu.md)");
            }

            return torch.device(n);
        }

        throw new NasException($"unknown device '{name}': expected cpu, cuda or cuda:N");
    }

    /// <summary>Seeds libtorch's global generator (module initialisation, dropout) for reproducible runs.</summary>
    public static void Seed(long seed) => torch.manual_seed(seed);
}
