using CsvHelper;
using Nas.Core;
using Nas.Core.IO;

namespace Nas.Training.Runs;

/// <summary>
/// A run's per-epoch metrics CSV of <typeparamref name="TRow"/> records. Each append rewrites the file atomically
/// (a few hundred rows at most), so an interrupted run never leaves a torn line; <see cref="TruncateAfter"/> drops rows
/// beyond the epoch a resumed checkpoint holds. <typeparamref name="TRow"/> is a <c>[CsvRecord] partial</c> record
/// (CsvHelper 34 generates its reader and writer at compile time).
/// </summary>
public sealed class MetricsCsv<TRow>(string path, Func<TRow, int> epochOf)
{
    public string Path { get; } = path;

    public IReadOnlyList<TRow> ReadAll()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            using CsvReader csv = CsvReader.FromFile(Path, new CsvReaderOptions(), FileOptions.SequentialScan);
            return csv.GetRecords<TRow>().ToList();
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidDataException or CsvFormatException)
        {
            throw new NasException($"{Path}: cannot read the metrics file ({e.Message}); it may have been edited by hand", e);
        }
    }

    public void Append(TRow row)
    {
        var rows = ReadAll().ToList();
        rows.Add(row);
        Write(rows);
    }

    public void TruncateAfter(int epoch) => Write(ReadAll().Where(r => epochOf(r) <= epoch).ToList());

    /// <summary>Replaces the whole file with <paramref name="rows"/> (for appending many rows at once).</summary>
    public void Replace(IReadOnlyList<TRow> rows) => Write(rows);

    private void Write(IReadOnlyList<TRow> rows) =>
        AtomicFile.Write(Path, stream =>
        {
            using CsvWriter csv = CsvWriter.Create(stream, new CsvWriterOptions(), leaveOpen: true);
            csv.WriteRecords(rows);
        });
}
