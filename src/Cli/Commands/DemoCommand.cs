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
        var minutes = new Option<int>("--minutes") { Description = "time budget on 2 CPU cores (scales images and epochs)", DefaultValueFactory = _ => 10 };
        var seed = CommonOptions.Seed();
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted demo (finished stages are kept)" };
        var pretrained = new Option<string>("--pretrained") { Description = "folder with the official SqueezeNAS weights (default: ../shared/pretrained/squeezenas beside the repository, when present)" };
        var command = new Command("demo", "run the whole workflow on synthetic rail scenes: tables, latency-aware searches, random baselines, retraining, ONNX export, report")
        {
            output, minutes, seed, resume, pretrained,
        };
        command.SetNasAction(context, (parse, token) =>
        {
            DemoPlan plan = DemoPlan.For(parse.GetValue(minutes));
            string dir = Path.GetFullPath(parse.GetValue(output)!);
            string? weights = parse.GetValue(pretrained) ?? FindSharedWeights();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            DemoSummary summary = context.WithProgress("demo", p =>
                new DemoWorkflow(plan, dir, parse.GetValue(seed), weights, context.LoggerFactory, p).Run(parse.GetValue(resume), token));
            var table = new Table().AddColumns("network", "kind", "measured ms", "val mIoU");
            foreach (DemoNetworkResult n in summary.Networks)
            {
                table.AddRow(n.Name, Markup.Escape(n.Kind), n.MeasuredMs.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), (n.Miou * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " %");
            }

            context.Console.Write(table);
            context.Console.MarkupLine($"[bold]report:[/] {Markup.Escape(Path.Combine(dir, "report.md"))}  ({clock.Elapsed.TotalMinutes:F1} min)");
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
}
