using System.Diagnostics;
using Nas.TestSupport;

namespace Nas.Cli.Tests;

/// <summary>Runs the built nas CLI (nas.dll) in a child process, for what only a fresh process shows.</summary>
internal static class CliProcess
{
    /// <summary>The CLI's build output folder (src/Cli/bin/&lt;config&gt;/net10.0), or null when it was not built.</summary>
    public static string? FindOutput()
    {
        string config = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        string dir = Path.Combine(SharedAssets.RepositoryRoot, "src", "Cli", "bin", config, "net10.0");
        return File.Exists(Path.Combine(dir, "nas.dll")) ? dir : null;
    }

    /// <summary>Runs <c>dotnet DIR/nas.dll ARGS</c>; <paramref name="environment"/> sets (or, with null, removes) variables.</summary>
    public static (int Code, string Output) Run(string cliDir, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(cliDir, "nas.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NAS_NO_PROGRESS"] = "1";
        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    public static (int Code, string Output) Run(string cliDir, params string[] args) =>
        Run(cliDir, new Dictionary<string, string?>(), args);
}
