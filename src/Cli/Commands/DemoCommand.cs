using System.CommandLine;
using Nas.Cli.Demo;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas demo</c>: the whole hardware-aware workflow on embedded synthetic data, with a report.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var output = CommonOptions.OutputFile("demo folder", "demo-run");
        var minutes = new Option<int>("--minutes") { Description = "time budget on 2 CPU cores: images scale with it, epochs are sized to it from step times measured at the start", DefaultValueFactory = _ => 10 };
        var seed = CommonOptions.Seed();
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted demo (finished stages are kept)" };
        var baselines = new Option<string>("--baselines") { Description = "hand-designed networks trained and measured beside the searched ones (registered names, comma-separated; 'none' for none)", DefaultValueFactory = _ => string.Join(',', DemoWorkflow.DefaultBaselines) };
        var pretrained = new Option<string>("--pretrained") { Description = "folder with the official SqueezeNAS weights (default: ../shared/pretrained/squeezenas beside the repository, when present)" };
        var command = new Command("demo", "run the whole workflow on synthetic rail scenes: tables, latency-aware searches, random baselines, retraining, ONNX export, report")
        {
            output, minutes, seed, resume, pretrained, baselines,
        };
        command.SetNasAction(context, (parse, token) =>
        {
            DemoPlan plan = DemoPlan.For(parse.GetValue(minutes));
            string dir = Path.GetFullPath(parse.GetValue(output)!);
            string? weights = parse.GetValue(pretrained) ?? FindSharedWeights();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            DemoSummary summary = context.WithProgress("demo", p =>
                new DemoWorkflow(plan, dir, parse.GetValue(seed), weights, context.LoggerFactory, p, Baselines(parse.GetValue(baselines)!)).Run(parse.GetValue(resume), token));
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var table = new Table().AddColumns("network", "kind", "target ms", "predicted ms", "measured ms", "val mIoU");
            foreach (DemoNetworkResult n in summary.Networks)
            {
                string over = n.TargetExcessPercent > DemoWorkflow.TargetTolerancePercent ? $" (+{n.TargetExcessPercent.Value.ToString("F0", inv)} % over target)" : string.Empty;
                table.AddRow(n.Name, Markup.Escape(n.Kind), n.TargetMs?.ToString("F2", inv) ?? "-", (n.PredictedMs?.ToString("F2", inv) ?? "-") + over,
                    n.MeasuredMs.ToString("F2", inv) + (n.MeasurementStable ? string.Empty : " (unstable)"), (n.Miou * 100).ToString("F1", inv) + " %");
            }

            context.Console.Write(table);
            string budget = summary.OverBudget ? $"over the budget of {plan.Minutes} min" : $"budget {plan.Minutes} min";
            context.Console.MarkupLine($"[bold]report:[/] {Markup.Escape(Path.Combine(dir, "report.md"))}  ({clock.Elapsed.TotalMinutes.ToString("F1", inv)} min; {budget})");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>../shared/pretrained/squeezenas beside the repository (found from the working folder or the tool's folder).</summary>
    private static string? FindSharedWeights()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "Nas.sln")))
                {
                    string candidate = Path.GetFullPath(Path.Combine(dir, "..", "shared", "pretrained", "squeezenas"));
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }

                    break;
                }
            }
        }

        return null;
    }

    private static string[] Baselines(string text) =>
        text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
