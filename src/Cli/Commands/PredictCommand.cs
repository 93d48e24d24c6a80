using System.CommandLine;
using Nas.Core.SearchSpaces;
using Nas.Retrain.Prediction;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas predict</c>: colourised segmentation of images.</summary>
internal static class PredictCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Nas checkpoint", Required = true };
        var image = new Option<string>("--image") { Description = "an image or a folder of images", Required = true };
        var output = CommonOptions.OutputFile("output PNG (single image) or folder");
        var overlay = new Option<bool>("--overlay") { Description = "blend the colours over the image" };
        var size = new Option<string>("--input") { Description = "run the network at HxW (logits resized back to the image)" };
        var threads = CommonOptions.Threads();
        var skipBad = new Option<bool>("--skip-bad") { Description = "leave out unreadable images (counted and listed) instead of failing before writing anything" };
        var command = new Command("predict", "colourised predictions with the dataset's palette") { checkpoint, image, output, overlay, size, threads, skipBad };
        command.SetNasAction(context, parse =>
        {
            InputSize? s = parse.GetValue(size) is string text ? CommonOptions.ParseSize(text, "--input") : null;
            PredictResult result = context.WithProgress("predict", p =>
                PredictWorkflow.Run(parse.GetValue(checkpoint)!, parse.GetValue(image)!, parse.GetValue(output)!, parse.GetValue(overlay), s, parse.GetValue(threads), parse.GetValue(skipBad), p));
            foreach (string reason in result.Skipped)
            {
                context.Error.WriteLine($"skipped: {reason}");
            }

            IReadOnlyList<string> written = result.Written;
            string skipped = result.Skipped.Count > 0 ? $"; skipped {result.Skipped.Count} unreadable image(s)" : string.Empty;
            context.Console.WriteLine($"wrote {written.Count} prediction(s){(written.Count == 1 ? $": {written[0]}" : $" to {Path.GetFullPath(parse.GetValue(output)!)}")}{skipped}");
            return 0;
        });
        return command;
    }
}
