using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.Costs;
using Nas.Core.SearchSpaces;
using Nas.Latency.Fidelity;
using Nas.Latency.Kits;
using Nas.Latency.Profiling;
using Nas.Latency.Tables;
using Nas.Onnx.Runtime;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary>
/// <c>nas lut profile|macs|kit|run-kit|check</c>. <c>run-kit</c> is deliberately kept to types that never touch
/// TorchSharp (see <see cref="RunKit"/>), so it works from an arm64 publish on a Jetson.
/// </summary>
internal static class LutCommands
{
    public static Command Create(CliContext context)
    {
        var lut = new Command("lut", "lookup tables: measure latency per block, analytic MACs, device kits, fidelity check");
        lut.Subcommands.Add(Profile(context));
        lut.Subcommands.Add(Analytic(context, "macs", CostMetrics.Macs));
        lut.Subcommands.Add(Analytic(context, "analytic", null));
        lut.Subcommands.Add(Kit(context));
        lut.Subcommands.Add(RunKitCommand.Create(context));
        lut.Subcommands.Add(Check(context));
        lut.Subcommands.Add(Compare(context));
        return lut;
    }

    internal static Option<string> Space() => new("--space") { Description = "small, large, xlarge or a space JSON file", DefaultValueFactory = _ => "small" };

    internal static Option<string> Provider() => new("--provider") { Description = "ONNX Runtime provider: cpu, cuda or tensorrt (GPU providers need -p:NasOrtGpu=true builds)", DefaultValueFactory = _ => "cpu" };

    internal static Option<string> Precision() => new("--precision") { Description = "entry precision: fp32, fp16 or int8 (INT8 entries are QDQ-quantised as 'nas export onnx --int8' does; see docs/deployment.md)", DefaultValueFactory = _ => "fp32" };

    internal static Option<string> TensorRtCache() => new("--trt-cache") { Description = "TensorRT engine cache folder (must be writable; --provider tensorrt)" };

    internal static Deploy.Precision ParsePrecision(string text) => EntryPrecision.Parse(text, "--precision");

    /// <summary>ONNX Runtime options from the command line; a TensorRT cache folder is checked for writing before any work.</summary>
    internal static OrtOptions Ort(string provider, int threads, string? tensorRtCache)
    {
        ExecutionProvider p = ParseProvider(provider);
        if (p != ExecutionProvider.Cpu)
        {
            OrtSessionFactory.RequireProvider(p);
        }

        if (tensorRtCache is not null)
        {
            OrtSessionFactory.CheckCacheFolder(tensorRtCache);
        }

        return new OrtOptions { Provider = p, IntraOpThreads = threads, TensorRtCacheDir = tensorRtCache };
    }

    internal static Option<int> Warmup() => new("--warmup") { Description = "untimed warm-up runs per entry", DefaultValueFactory = _ => 5 };

    internal static Option<int> Runs() => new("--runs") { Description = "timed runs per entry", DefaultValueFactory = _ => 20 };

    internal static ExecutionProvider ParseProvider(string text) => text.ToLowerInvariant() switch
    {
        "cpu" => ExecutionProvider.Cpu,
        "cuda" => ExecutionProvider.Cuda,
        "tensorrt" or "trt" => ExecutionProvider.TensorRt,
        _ => throw new NasException($"unknown --provider '{text}': expected cpu, cuda or tensorrt"),
    };

    private static Command Profile(CliContext context)
    {
        var space = Space();
        var input = CommonOptions.Input("256x512", "network input size HxW the table is for");
        var classes = CommonOptions.HeadClasses();
        var runtime = new Option<string>("--runtime") { Description = "ort (ONNX Runtime, the deployment runtime) or torch (TorchSharp CPU)", DefaultValueFactory = _ => "ort" };
        var provider = Provider();
        var threads = CommonOptions.Threads();
        var warmup = Warmup();
        var runs = Runs();
        var precision = Precision();
        var trtCache = TensorRtCache();
        var output = CommonOptions.OutputFile("table CSV (a .meta.json is written beside it); an existing partial table resumes");
        var command = new Command("profile", "measure every (position, candidate) entry and the fixed parts of a space on a runtime") { space, input, classes, runtime, provider, threads, warmup, runs, precision, trtCache, output };
        command.SetNasAction(context, (parse, token) =>
        {
            SearchSpace s = SearchSpaceCatalog.Resolve(parse.GetValue(space)!);
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            Deploy.Precision entryPrecision = ParsePrecision(parse.GetValue(precision)!);
            OrtOptions options = Ort(parse.GetValue(provider)!, parse.GetValue(threads), parse.GetValue(trtCache));
            var settings = new ProfileSettings(parse.GetValue(threads), parse.GetValue(warmup), parse.GetValue(runs));
            string path = parse.GetValue(output)!;
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            LookupTable table = context.WithProgress("lut", p => new LutProfiler(context.Logger<LutProfiler>())
                .Profile(s, size, parse.GetValue(classes), parse.GetValue(runtime)!, options, settings, path, p, token, entryPrecision));
            Summarise(context, table, path, stopwatch.Elapsed);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary><c>lut macs</c> (the MAC table) and <c>lut analytic --metric M</c> (any analytic metric: macs, flops).</summary>
    private static Command Analytic(CliContext context, string name, CostMetric? fixedMetric)
    {
        var space = Space();
        var input = CommonOptions.Input("1024x2048", "network input size HxW");
        var classes = CommonOptions.HeadClasses();
        var output = CommonOptions.OutputFile("table CSV (a .meta.json is written beside it)");
        string[] analytic = CostMetrics.All.Where(m => m.IsAnalytic).Select(m => m.Name).ToArray();
        var metric = new Option<string>("--metric") { Description = "the analytic cost metric", HelpName = string.Join('|', analytic), DefaultValueFactory = _ => CostMetrics.Macs.Name };
        var command = fixedMetric is null
            ? new Command(name, "write the table of an analytic cost metric (computed from each entry's layer graph) in the lookup-table schema") { space, input, classes, metric, output }
            : new Command(name, $"write the analytic {fixedMetric.Name} table of a space in the lookup-table schema (= lut analytic --metric {fixedMetric.Name})") { space, input, classes, output };
        command.SetNasAction(context, parse =>
        {
            CostMetric m = fixedMetric ?? CostMetrics.FromName(parse.GetValue(metric)!, "--metric");
            SearchSpace s = SearchSpaceCatalog.Resolve(parse.GetValue(space)!);
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            LookupTable table = AnalyticTableBuilder.Build(m, s, size, parse.GetValue(classes));
            string path = parse.GetValue(output)!;
            table.Save(path);
            Summarise(context, table, path, null);
            return 0;
        });
        return command;
    }

    private static Command Kit(CliContext context)
    {
        var space = Space();
        var input = CommonOptions.Input("1024x2048", "network input size HxW on the device");
        var classes = CommonOptions.HeadClasses();
        var precision = Precision();
        var output = CommonOptions.OutputFile("kit folder (one ONNX file per unique entry + manifest.json)");
        var command = new Command("kit", "write a device kit: the table's entries as ONNX models, to measure on a device with 'nas lut run-kit'") { space, input, classes, precision, output };
        command.SetNasAction(context, (parse, token) =>
        {
            SearchSpace s = SearchSpaceCatalog.Resolve(parse.GetValue(space)!);
            InputSize size = CommonOptions.ParseSize(parse.GetValue(input)!, "--input");
            string dir = parse.GetValue(output)!;
            Deploy.Precision entryPrecision = ParsePrecision(parse.GetValue(precision)!);
            KitManifest manifest = context.WithProgress("kit", p => KitBuilder.Build(s, size, parse.GetValue(classes), dir, p, token, entryPrecision));
            context.Console.WriteLine($"wrote {manifest.Entries.Count} models and {KitManifest.FileName} to {Path.GetFullPath(dir)}");
            context.Console.WriteLine($"on the device: nas lut run-kit {dir} --provider tensorrt --trt-cache trt-cache -o {s.Name}-{size}-{EntryPrecision.Name(entryPrecision)}.csv");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Check(CliContext context)
    {
        var table = new Option<string>("--table") { Description = "latency table CSV (ONNX Runtime)", Required = true };
        var samples = new Option<int>("--samples") { Description = "random networks to measure end to end", DefaultValueFactory = _ => 30 };
        var seed = CommonOptions.Seed();
        var output = new Option<string>("--output", "-o") { Description = "report folder (fidelity.csv, fidelity.json, fidelity.png)", DefaultValueFactory = _ => "lut-check" };
        var calibrate = new Option<bool>("--calibrate") { Description = "fit measured ≈ slope·sum + intercept on these networks and store it in the table when it predicts held-out networks better than the raw table (check again with another --seed to validate)" };
        var trtCache = TensorRtCache();
        var command = new Command("check", "does the table predict real latency? random networks measured end to end (at the table's provider and precision) vs the table's sum (and vs MACs)") { table, samples, seed, output, calibrate, trtCache };
        command.SetNasAction(context, (parse, token) =>
        {
            string dir = parse.GetValue(output)!;
            if (parse.GetValue(trtCache) is string cache)
            {
                OrtSessionFactory.CheckCacheFolder(cache);
            }

            FidelityReport report = context.WithProgress("lut check", p => FidelityCheck.Run(parse.GetValue(table)!, parse.GetValue(samples), parse.GetValue(seed), dir, parse.GetValue(calibrate), p, token, parse.GetValue(trtCache)));
            var view = new Table().AddColumns("predictor", "MAPE", "max error", "Pearson", "Spearman", "within ±10%", "fit (slope, intercept)", "MAPE after fit");
            foreach ((string name, FidelityStats s) in new[] { ("lookup table", report.TableStats), ("MACs (fitted)", report.Macs) })
            {
                view.AddRow(name, $"{s.Mape:F1} %", $"{s.MaxAbsPercentError:F1} %", s.Pearson.ToString("F3", CultureInfo.InvariantCulture), s.Spearman.ToString("F3", CultureInfo.InvariantCulture),
                    s.Within10Percent.ToString("P0", CultureInfo.InvariantCulture), $"{s.Slope:F3}, {s.Intercept:F2}", $"{s.CorrectedMape:F1} %");
            }

            context.Console.Write(view);
            context.Console.WriteLine($"{report.Networks.Count} networks; report in {Path.GetFullPath(dir)}");
            if (report.Calibration is CalibrationAssessment calibration)
            {
                context.Console.WriteLine(calibration.Accepted
                    ? $"{calibration.Verdict}; stored in {LookupTable.MetadataPath(Path.GetFullPath(parse.GetValue(table)!))} (validate it with another --seed)"
                    : $"{calibration.Verdict}; the table was not changed");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Compare(CliContext context)
    {
        var a = new Argument<string>("a") { Description = "reference latency table CSV (e.g. FP32)" };
        var b = new Argument<string>("b") { Description = "table to compare (e.g. INT8 of the same space and input)" };
        var json = new Option<string>("--json") { Description = "also write the comparison as JSON" };
        var command = new Command("compare", "two latency tables of one space: per-op latency ratio B/A and whether the ranking of the candidates changes per position") { a, b, json };
        command.SetNasAction(context, parse =>
        {
            TableComparison.Result r = TableComparison.Compare(parse.GetValue(a)!, parse.GetValue(b)!);
            var ops = new Table().AddColumns("op", "median B/A", "min", "max", "mean A (ms)", "mean B (ms)");
            foreach (TableComparison.OpRow o in r.Ops)
            {
                ops.AddRow(o.Op, o.MedianRatio.ToString("F2", CultureInfo.InvariantCulture), o.MinRatio.ToString("F2", CultureInfo.InvariantCulture), o.MaxRatio.ToString("F2", CultureInfo.InvariantCulture),
                    o.MeanMsA.ToString("F3", CultureInfo.InvariantCulture), o.MeanMsB.ToString("F3", CultureInfo.InvariantCulture));
            }

            context.Console.Write(ops);
            var positions = new Table().AddColumns("position", "Spearman ρ", "fastest A", "fastest B", "slowest A", "slowest B");
            foreach (TableComparison.PositionRow p in r.Positions)
            {
                positions.AddRow(p.Position.ToString(CultureInfo.InvariantCulture), p.Spearman.ToString("F3", CultureInfo.InvariantCulture), p.FastestA, p.FastestB, p.SlowestA, p.SlowestB);
            }

            context.Console.Write(positions);
            context.Console.WriteLine($"mean per-position Spearman ρ {r.MeanSpearman:F3} (all entries {r.WholeSpaceSpearman:F3}); fastest candidate changes at {r.FastestChanged} and slowest at {r.SlowestChanged} of {r.Positions.Count} positions");
            if (parse.GetValue(json) is string path)
            {
                Core.IO.NasJson.WriteFile(path, r);
            }

            return 0;
        });
        return command;
    }

    internal static void Summarise(CliContext context, LookupTable table, string path, TimeSpan? elapsed)
    {
        SearchSpace space = table.Space;
        (double[,] blocks, double fixedCost) = table.CostMatrix(space);
        double min = fixedCost, max = fixedCost;
        for (int p = 0; p < blocks.GetLength(0); p++)
        {
            double lo = double.MaxValue, hi = 0;
            for (int k = 0; k < blocks.GetLength(1); k++)
            {
                lo = Math.Min(lo, blocks[p, k]);
                hi = Math.Max(hi, blocks[p, k]);
            }

            min += lo;
            max += hi;
        }

        string unit = table.Unit;
        context.Console.WriteLine($"{table.Rows.Count} unique entries for {space.Name} at {table.Metadata.Input} ({table.Metadata.Runtime}{(table.Metadata.Provider is string pr ? "/" + pr : string.Empty)}{(table.Metadata.Precision is string pc ? " " + pc : string.Empty)}); " +
            $"networks range {min.ToString("G4", CultureInfo.InvariantCulture)} .. {max.ToString("G4", CultureInfo.InvariantCulture)} {unit}" +
            (elapsed is TimeSpan t ? $"; took {t.TotalSeconds:F0} s" : string.Empty));
        context.Console.WriteLine($"wrote {Path.GetFullPath(path)} and {LookupTable.MetadataPath(Path.GetFullPath(path))}");
    }
}
