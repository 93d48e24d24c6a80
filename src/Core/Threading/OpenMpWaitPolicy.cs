using System.Runtime.InteropServices;

namespace Nas.Core.Threading;

/// <summary>
/// How libtorch's OpenMP worker threads (GNU libgomp, shipped inside the libtorch package) wait for work. By default
/// libgomp spins (GOMP_SPINCOUNT 300000) before it sleeps: the lowest latency on idle cores, but on shared cores the
/// spinning threads take the CPU from the data loader and from other processes (<c>nas predict</c> on 24 images used
/// about 9× the CPU time next to busy loops, docs/benchmarks.md "Shared cores"). libgomp reads
/// <c>OMP_WAIT_POLICY</c> and <c>GOMP_SPINCOUNT</c> once, when it is loaded, from the native environment, which
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Unix: this class also calls
/// libc's <c>setenv</c>, and must run before TorchSharp loads libtorch.
/// </summary>
public static class OpenMpWaitPolicy
{
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>
    /// Makes libgomp's idle threads sleep instead of spinning (OMP_WAIT_POLICY=PASSIVE), unless the user chose a wait
    /// policy or spin count in the environment, or libgomp is loaded already.
    /// </summary>
    public static OpenMpWaitOutcome UsePassiveWaiting()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WaitPolicyVariable)) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SpinCountVariable)))
        {
            return OpenMpWaitOutcome.UserSetting;
        }

        if (IsOpenMpLoaded())
        {
            return OpenMpWaitOutcome.AlreadyLoaded;
        }

        // The managed copy serves child processes and managed readers; setenv is what libgomp's getenv sees.
        Environment.SetEnvironmentVariable(WaitPolicyVariable, "PASSIVE");
        if (OperatingSystem.IsLinux() && SetNativeEnvironment(WaitPolicyVariable, "PASSIVE", 1) != 0)
        {
            throw new InvalidOperationException($"setenv({WaitPolicyVariable}) failed (errno {Marshal.GetLastPInvokeError()})");
        }

        return OpenMpWaitOutcome.Passive;
    }

    /// <summary>Whether a libgomp is mapped into this process (Linux, from /proc/self/maps; false elsewhere).</summary>
    public static bool IsOpenMpLoaded()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return File.ReadLines("/proc/self/maps").Any(line => line.Contains("/libgomp", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetNativeEnvironment(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        int overwrite);
}
