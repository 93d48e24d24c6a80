using System.Runtime.InteropServices;

namespace Nas.Latency.Profiling;

/// <summary>A one-line description of the machine a table was measured on (CPU model and cores; Jetson model when present).</summary>
public static class DeviceInfo
{
    public static string Describe()
    {
        string cpu = "unknown CPU";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string? model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal) || l.StartsWith("Model", StringComparison.Ordinal));
                if (model is not null)
                {
                    cpu = model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }

            if (File.Exists("/proc/device-tree/model"))
            {
                cpu = File.ReadAllText("/proc/device-tree/model").Trim('\0', ' ', '\n') + $" ({cpu})";
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return $"{cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.ProcessArchitecture}";
    }
}
