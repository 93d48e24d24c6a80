using System.Globalization;
using CsvHelper;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.Genotypes;
using Nas.Core.IO;
using Nas.Core.SearchSpaces;

namespace Nas.Latency.Tables;

/// <summary>
/// A lookup table of per-block and fixed-part costs for one space at one input size: MACs (analytic) or latency (ms,
/// measured on a runtime). CSV (one row per (position, candidate) entry and per fixed part) plus the sidecar
/// <c>.meta.json</c>. Loading validates everything and names the file, row and key of any problem.
/// </summary>
public sealed class LookupTable
{
    private readonly Dictionary<string, LookupTableRow> _byKey;

    public LookupTable(LookupTableMetadata metadata, IReadOnlyList<LookupTableRow> rows)
    {
        Metadata = metadata;
        Rows = rows;
        _byKey = rows.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public LookupTableMetadata Metadata { get; }

    public IReadOnlyList<LookupTableRow> Rows { get; }

    public string Unit => Metadata.Unit;

    /// <summary>The cost metric of the table, from its metadata's unit.</summary>
    public CostMetric Metric => CostMetrics.FromTableUnit(Metadata.Unit, "table metadata");

    public InputSize Input => InputSize.Parse(Metadata.Input);

    public static string MetadataPath(string csvPath) => Path.ChangeExtension(csvPath, null) + ".meta.json";

    /// <summary>The space the table was built for (built-in name or the embedded definition).</summary>
    public SearchSpace Space => Metadata.SpaceDefinition is SearchSpaceDefinition d
        ? SearchSpace.Create(d, "table metadata")
        : SearchSpaceCatalog.Resolve(Metadata.Space);

    public double CostOf(string key) =>
        _byKey.TryGetValue(key, out LookupTableRow? row) ? row.Cost : throw new NasException($"lookup table has no entry '{key}'");

    public bool Contains(string key) => _byKey.ContainsKey(key);

    /// <summary>Per-entry cost as the search and predictions use it (the measured run overhead removed for latency tables).</summary>
    public double EffectiveCost(string key) => Math.Max(0, CostOf(key) - (Metadata.RunOverheadMs ?? 0));

    /// <summary>
    /// Costs of every (position, candidate) of <paramref name="space"/> and the fixed cost (stem + last conv + head + one
    /// run overhead), with the table's calibration applied when it has one.
    /// </summary>
    public (double[,] Blocks, double Fixed) CostMatrix(SearchSpace space)
    {
        (double[,] blocks, double fixedCost) = RawCostMatrix(space);
        double slope = Metadata.CalibrationSlope ?? 1.0;
        double intercept = Metadata.CalibrationIntercept ?? 0.0;
        for (int p = 0; p < blocks.GetLength(0); p++)
        {
            for (int k = 0; k < blocks.GetLength(1); k++)
            {
                blocks[p, k] *= slope;
            }
        }

        return (blocks, (fixedCost * slope) + intercept);
    }

    /// <summary>The cost matrix without calibration: plain sums of the measured entries.</summary>
    public (double[,] Blocks, double Fixed) RawCostMatrix(SearchSpace space)
    {
        IReadOnlyList<LutEntrySpec> layout = LookupTableLayout.For(space, Input, Metadata.Classes);
        var blocks = new double[space.PositionCount, space.Candidates.Count];
        double fixedCost = Metadata.RunOverheadMs ?? 0;
        foreach (LutEntrySpec e in layout)
        {
            double c = EffectiveCost(e.Key);
            if (e.IsBlock)
            {
                blocks[e.Position!.Value, space.IndexOf(CandidateOps.Parse(e.OpName))] = c;
            }
            else
            {
                fixedCost += c;
            }
        }

        return (blocks, fixedCost);
    }

    /// <summary>The table's prediction for a whole network: Σ of its blocks + the fixed parts (calibrated when the table is).</summary>
    public double Predict(Genotype genotype) => Predict(genotype, CostMatrix(genotype.Space));

    /// <summary>The uncalibrated prediction.</summary>
    public double PredictRaw(Genotype genotype) => Predict(genotype, RawCostMatrix(genotype.Space));

    /// <summary>A copy of the table with a calibration.</summary>
    public LookupTable WithCalibration(double slope, double intercept, string source) =>
        new(Metadata with { CalibrationSlope = slope, CalibrationIntercept = intercept, CalibrationSource = source }, Rows);

    private static double Predict(Genotype genotype, (double[,] Blocks, double Fixed) costs)
    {
        (double[,] blocks, double fixedCost) = costs;
        double total = fixedCost;
        for (int p = 0; p < genotype.Ops.Count; p++)
        {
            total += blocks[p, genotype.Space.IndexOf(genotype.Ops[p])];
        }

        return total;
    }

    public void Save(string csvPath)
    {
        AtomicFile.Write(csvPath, stream =>
        {
            using CsvWriter csv = CsvWriter.Create(stream, new CsvWriterOptions(), leaveOpen: true);
            csv.WriteRecords(Rows);
        });
        NasJson.WriteFile(MetadataPath(csvPath), Metadata);
    }

    /// <summary>
    /// Loads and validates a table. With <paramref name="expectedSpace"/> / <paramref name="expectedInput"/> the table must
    /// be for that space and size and contain every entry the space needs.
    /// </summary>
    public static LookupTable Load(string csvPath, SearchSpace? expectedSpace = null, InputSize? expectedInput = null)
    {
        if (!File.Exists(csvPath))
        {
            throw new NasException($"lookup table not found: '{csvPath}'");
        }

        string metaPath = MetadataPath(csvPath);
        if (!File.Exists(metaPath))
        {
            throw new NasException($"{csvPath}: its metadata file '{metaPath}' is missing (it records the space, input size and how the table was measured)");
        }

        LookupTableMetadata meta = NasJson.ReadFile<LookupTableMetadata>(metaPath);
        CostMetrics.FromTableUnit(meta.Unit, metaPath);

        List<LookupTableRow> rows = ReadRows(csvPath);
        var table = new LookupTable(meta, rows);
        SearchSpace space = expectedSpace ?? table.Space;
        if (expectedSpace is not null && expectedSpace.CanonicalString != meta.SpaceCanonical)
        {
            throw new NasException($"{csvPath}: the table is for space '{meta.Space}' ({meta.SpaceCanonical}), not '{expectedSpace.Name}' ({expectedSpace.CanonicalString})");
        }

        if (!InputSize.TryParse(meta.Input, out InputSize tableInput))
        {
            throw new NasException($"{metaPath}: 'input' = '{meta.Input}' is not HxW");
        }

        if (expectedInput is InputSize want && want.PaddedTo() != tableInput.PaddedTo())
        {
            throw new NasException($"{csvPath}: the table was built for input {meta.Input}, not {want}; rebuild it with --input {want}");
        }

        IReadOnlyList<LutEntrySpec> layout = LookupTableLayout.For(space, tableInput, meta.Classes);
        var layoutKeys = layout.Where(e => !e.IsBlock).GroupBy(e => e.PartName).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
        {
            LookupTableRow r = rows[i];
            int line = i + 2;
            string where = $"{csvPath}: row {line} (key '{r.Key}')";
            if (seen.TryGetValue(r.Key, out int first))
            {
                throw new NasException($"{where}: duplicate key (first on row {first})");
            }

            seen[r.Key] = line;
            if (!double.IsFinite(r.Cost) || r.Cost < 0)
            {
                throw new NasException($"{where}: cost {r.Cost.ToString(CultureInfo.InvariantCulture)} is not a finite number >= 0");
            }

            if (r.Unit != meta.Unit)
            {
                throw new NasException($"{where}: unit '{r.Unit}' differs from the table's '{meta.Unit}'");
            }

            string expectedKey = ExpectedKey(r, where, layoutKeys);
            if (expectedKey != r.Key)
            {
                throw new NasException($"{where}: the key does not match the row's op and shapes (expected '{expectedKey}')");
            }
        }

        foreach (LutEntrySpec e in layout)
        {
            if (!seen.ContainsKey(e.Key))
            {
                string what = e.IsBlock ? $"position {e.Position}, op {e.OpName}" : e.PartName;
                throw new NasException($"{csvPath}: missing entry for {what} (key '{e.Key}') of space '{space.Name}' at {meta.Input}");
            }
        }

        return table;
    }

    /// <summary>The key a row must have: from its op and shapes for blocks, the layout's key for fixed parts.</summary>
    private static string ExpectedKey(LookupTableRow r, string where, IReadOnlyDictionary<string, string> fixedKeys)
    {
        int[] inShape = ParseShape(r.InShape, where, "in_shape");
        int[] outShape = ParseShape(r.OutShape, where, "out_shape");
        if (r.Part == "block")
        {
            if (!CandidateOps.TryParse(r.Op, out CandidateOp? op))
            {
                throw new NasException($"{where}: unknown op '{r.Op}'");
            }

            return $"{op.Name}|{LutKeys.Shape(inShape)}|{LutKeys.Shape(outShape)}|s{r.Stride}";
        }

        return fixedKeys.TryGetValue(r.Part, out string? key)
            ? key
            : throw new NasException($"{where}: unknown part '{r.Part}' (expected block or one of {string.Join(", ", fixedKeys.Keys)})");
    }

    private static int[] ParseShape(string text, string where, string column)
    {
        string[] parts = text.Split('x');
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new NasException($"{where}: {column} '{text}' is not CxHxW");
            }
        }

        return shape;
    }

    private static List<LookupTableRow> ReadRows(string csvPath)
    {
        try
        {
            using CsvReader csv = CsvReader.FromFile(csvPath, new CsvReaderOptions(), FileOptions.SequentialScan);
            var rows = new List<LookupTableRow>();
            foreach (LookupTableRow row in csv.GetRecords<LookupTableRow>())
            {
                rows.Add(row);
            }

            return rows;
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or CsvFormatException or InvalidDataException or OverflowException)
        {
            throw new NasException($"{csvPath}: not a valid lookup table CSV ({e.Message})", e);
        }
    }
}
