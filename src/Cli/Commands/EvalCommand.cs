using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.IO;
using Nas.Data.Metrics;
using Nas.Deploy.Evaluation;
using Nas.Onnx.Runtime;
using Nas.Retrain.Evaluation;
using Nas.Training.Data;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas eval</c>: mIoU of a checkpoint on a split, or of someone else's Cityscapes predictions.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Nas checkpoint to evaluate" };
        var predictions = new Option<string>("--predictions") { Description = "folder of Cityscapes label-id PNGs to score instead of a checkpoint" };
        var onnx = new Option<string>("--onnx") { Description = "ONNX model (FP32, FP16 or INT8) to evaluate through ONNX Runtime instead of a checkpoint (no TorchSharp; a fixed model input size resizes the images to it)" };
        var provider = LutCommands.Provider();
        var workers = new Option<int>("--workers") { Description = "data-loading threads", DefaultValueFactory = _ => 2 };
        var dataset = new Option<string>("--dataset") { Description = "cityscapes, railsem19, synthetic, voc or folder", Required = true };
        var root = new Option<string>("--root") { Description = "dataset folder", Required = true };
        var split = new Option<string>("--split") { Description = "split", DefaultValueFactory = _ => "val" };
        var size = new Option<string>("--input") { Description = "resize images (and, nearest, labels) to HxW before inference (default: native size)" };
        var save = new Option<string>("--save-predictions") { Description = "write predictions (Cityscapes: label ids for the official evaluator; others: palette PNGs)" };
        var json = new Option<string>("--json") { Description = "write the report as JSON" };
        var threads = CommonOptions.Threads();
        var command = new Command("eval", "evaluate: confusion matrix, per-class IoU, mIoU, pixel accuracy (+ Cityscapes category IoU)") { checkpoint, predictions, onnx, dataset, root, split, size, save, json, threads, provider, workers };
        command.SetNasAction(context, (parse, token) =>
        {
            if (parse.GetValue(onnx) is string model)
            {
                if (parse.GetValue(checkpoint) is not null || parse.GetValue(predictions) is not null)
                {
                    throw new NasException("give exactly one of --checkpoint, --predictions or --onnx");
                }

                var options = new OnnxEvalOptions
                {
                    Model = model,
                    Dataset = parse.GetValue(dataset)!,
                    Root = parse.GetValue(root)!,
                    Split = parse.GetValue(split)!,
                    Input = parse.GetValue(size),
                    Workers = parse.GetValue(workers),
                    SavePredictions = parse.GetValue(save),
                    Ort = new OrtOptions { Provider = LutCommands.ParseProvider(parse.GetValue(provider)!), IntraOpThreads = parse.GetValue(threads) },
                };
                return Task.FromResult(Report(context, context.WithProgress("eval", p => OnnxEvaluator.Evaluate(options, p, token)), parse.GetValue(json)));
            }

            return Task.FromResult(EvaluateWithTorch(parse, token));
        });
        return command;

        int EvaluateWithTorch(ParseResult parse, CancellationToken token)
        {
            var data = new DataConfig { Dataset = parse.GetValue(dataset)!, Root = parse.GetValue(root)!, EvalSize = parse.GetValue(size) };
            string? ckpt = parse.GetValue(checkpoint);
            string? preds = parse.GetValue(predictions);
            if ((ckpt is null) == (preds is null))
            {
                throw new NasException("give exactly one of --checkpoint, --predictions or --onnx");
            }

            SegmentationReport report = context.WithProgress("eval", p => ckpt is not null
                ? EvalWorkflow.EvaluateCheckpoint(ckpt, data, parse.GetValue(split)!, parse.GetValue(save), parse.GetValue(threads), p, token)
                : EvalWorkflow.EvaluatePredictions(preds!, data, parse.GetValue(split)!, p, token));
            return Report(context, report, parse.GetValue(json));
        }
    }

    private static int Report(CliContext context, SegmentationReport report, string? json)
    {
        Render(context.Console, report);
        if (json is not null)
        {
            NasJson.WriteFile(json, report);
            context.Console.WriteLine($"report written to {Path.GetFullPath(json)}");
        }

        return 0;
    }

    internal static void Render(IAnsiConsole console, SegmentationReport report)
    {
        var table = new Table().AddColumns("class", "IoU");
        foreach ((string name, double? iou) in report.ClassIou)
        {
            table.AddRow(Markup.Escape(name), iou is double v ? v.ToString("P2", CultureInfo.InvariantCulture) : "n/a");
        }

        console.Write(table);
        if (report.CategoryIou is not null)
        {
            var categories = new Table().AddColumns("category", "IoU");
            foreach ((string name, double? iou) in report.CategoryIou)
            {
                categories.AddRow(name, iou is double v ? v.ToString("P2", CultureInfo.InvariantCulture) : "n/a");
            }

            console.Write(categories);
            console.MarkupLine($"category mIoU [bold]{report.CategoryMiou:P2}[/]");
        }

        console.MarkupLine($"mIoU [bold]{report.Miou:P2}[/]   pixel accuracy {report.PixelAccuracy:P2}   ({report.Images} images, {report.Pixels:N0} labelled pixels)");
    }
}
