using Nas.Core;
using Nas.Core.IO;

namespace Nas.OneShot.Evaluation;

/// <summary>
/// Scores per genotype, in memory and (when a path is given) on disk, rewritten atomically after every new entry so
/// an interrupted search loses at most the evaluation in progress. A file written for another supernet or other
/// evaluation settings (a different fingerprint) is refused instead of being mixed in.
/// </summary>
public sealed class EvaluationCache
{
    private readonly Dictionary<string, CachedEvaluation> _entries = new(StringComparer.Ordinal);
    private readonly List<CachedEvaluation> _order = [];

    public EvaluationCache(string? path, string fingerprint)
    {
        Path = path;
        Fingerprint = fingerprint;
        if (path is not null && File.Exists(path))
        {
            EvaluationCacheFile file = NasJson.ReadFile<EvaluationCacheFile>(path);
            if (file.Fingerprint != fingerprint)
            {
                throw new NasException($"{path}: the cached evaluations were made with another supernet or other evaluation settings; use another cache file");
            }

            foreach (CachedEvaluation e in file.Entries)
            {
                if (_entries.TryAdd(e.Genotype, e))
                {
                    _order.Add(e);
                }
            }
        }
    }

    public string? Path { get; }

    public string Fingerprint { get; }

    public int Count => _order.Count;

    /// <summary>Entries in the order they were added.</summary>
    public IReadOnlyList<CachedEvaluation> Entries => _order;

    public bool TryGet(string genotype, out CachedEvaluation entry) => _entries.TryGetValue(genotype, out entry!);

    public void Add(CachedEvaluation entry)
    {
        if (!_entries.TryAdd(entry.Genotype, entry))
        {
            return;
        }

        _order.Add(entry);
        if (Path is not null)
        {
            NasJson.WriteFile(Path, new EvaluationCacheFile { Fingerprint = Fingerprint, Entries = _order });
        }
    }
}
