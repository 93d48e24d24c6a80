using System.Text;

namespace Nas.Core.IO;

/// <summary>
/// Writes files so that readers never see a half-written one: the content goes to a temporary file in the
/// same folder, which is then renamed over the target (rename is atomic within one file system).
/// </summary>
public static partial class AtomicFile
{
    public static void WriteAllText(string path, string contents) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.Write(contents);
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy, 0, copy.Length));
    }

    /// <summary>Writes through <paramref name="write"/> into a temporary file, flushes it to disk, then renames it.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NasException($"cannot create folder '{directory}': {e.Message}", e);
        }

        string temp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new NasException($"cannot write '{full}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Gives a temporary path beside <paramref name="path"/> for writers that need a file name (native libraries);
    /// call <see cref="Commit"/> to move it into place or <see cref="TryDelete"/> to discard it.
    /// </summary>
    public static string TempPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>True for a name <see cref="TempPathFor"/> gives (<c>.NAME.GUID.tmp</c>): a write that never completed when found later.</summary>
    public static bool IsTempFile(string path) => TempName().IsMatch(Path.GetFileName(path));

    /// <summary>
    /// Deletes the temporary files of interrupted writes (a process killed mid-write) in <paramref name="directory"/>
    /// and its subfolders; only names of <see cref="TempPathFor"/>'s pattern are touched. Returns the deleted paths.
    /// </summary>
    public static IReadOnlyList<string> DeleteTempFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var deleted = new List<string>();
        foreach (string file in Directory.EnumerateFiles(directory, ".*.tmp", SearchOption.AllDirectories).Where(IsTempFile).Order(StringComparer.Ordinal))
        {
            TryDelete(file);
            if (!File.Exists(file))
            {
                deleted.Add(file);
            }
        }

        return deleted;
    }

    public static void Commit(string tempPath, string path) => File.Move(tempPath, Path.GetFullPath(path), overwrite: true);

    public static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex TempName();
}
