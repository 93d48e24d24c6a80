using System.Globalization;
using System.Runtime.InteropServices;

namespace Nas.Training.Diagnostics;

#pragma warning disable SYSLIB1054 // a single libc call; LibraryImport source generation buys nothing here

/// <summary>
/// Resident memory of this process from <c>/proc/self/status</c> (Linux): what TorchSharp's native allocations
/// show up in. <see cref="ResetPeak"/> writes 5 to <c>/proc/self/clear_refs</c> so <see cref="PeakBytes"/> measures
/// from that point on.
/// </summary>
public static class NativeMemory
{
    public static bool IsSupported => File.Exists("/proc/self/status");

    /// <summary>Current resident set size (VmRSS) in bytes, or 0 where unsupported.</summary>
    public static long ResidentBytes() => Read("VmRSS:");

    /// <summary>Peak resident set size (VmHWM) in bytes since start or the last <see cref="ResetPeak"/>.</summary>
    public static long PeakBytes() => Read("VmHWM:");

    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Collects managed garbage, returns freed native heap to the OS (glibc <c>malloc_trim</c>), resets the peak and
    /// returns the resident size: a baseline for measuring what the following work adds.
    /// </summary>
    public static long TrimAndResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = malloc_trim(0);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // not glibc (e.g. musl): the baseline then includes cached heap
            }
        }

        ResetPeak();
        return ResidentBytes();
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    private static long Read(string key)
    {
        if (!IsSupported)
        {
            return 0;
        }

        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                string[] parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
