namespace Nas.TestSupport;

/// <summary>
/// Locates the optional <c>../shared</c> folder beside the repository (official weights, reference models).
/// Tests that need it skip with a clear reason when it is absent; nothing in the repository depends on it.
/// </summary>
public static class SharedAssets
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The shared folder: $NAS_SHARED_DIR, else ../shared beside the repository; null when absent.</summary>
    public static string? Directory
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("NAS_SHARED_DIR");
            if (!string.IsNullOrEmpty(env) && System.IO.Directory.Exists(env))
            {
                return env;
            }

            string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared"));
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }

            // A clone inside a worktree folder (e.g. /work/main/clone) still finds /work/shared.
            string parent = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "..", "shared"));
            return System.IO.Directory.Exists(parent) ? parent : null;
        }
    }

    /// <summary>Full path of a file under the shared folder, or null when the folder or the file is absent.</summary>
    public static string? File(params string[] parts)
    {
        if (Directory is not string dir)
        {
            return null;
        }

        string path = System.IO.Path.Combine([dir, .. parts]);
        return System.IO.File.Exists(path) ? path : null;
    }

    private static string FindRepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir, "Nas.sln")))
            {
                return dir;
            }

            dir = System.IO.Path.GetDirectoryName(dir);
        }

        return System.IO.Directory.GetCurrentDirectory();
    }
}
