using System.CommandLine;
using System.Globalization;
using Nas.Core;
using Nas.Core.Genotypes;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;
using Nas.Weights.Checkpoints;
using Nas.Weights.Import;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas weights import|inspect</c>: official PyTorch weights into a Nas checkpoint, and the tensors of any checkpoint (no TorchSharp).</summary>
internal static class WeightsCommands
{
    public static Command Create(CliContext context)
    {
        var weights = new Command("weights", "import and inspect pretrained weights");
        weights.Subcommands.Add(Import(context));
        weights.Subcommands.Add(Inspect(context));
        return weights;
    }

    private static Command Import(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "PyTorch state dict (.pth, legacy or zip format)" };
        var arch = new Option<string>("--arch") { Description = "registered network the weights belong to (e.g. squeezenas-mac-small, espnet)", Required = true };
        var output = CommonOptions.OutputFile("Nas checkpoint to write (.ckpt)");
        var import = new Command("import", "read official PyTorch weights strictly (no pickled code runs) and write a Nas checkpoint") { file, arch, output };
        import.SetNasAction(context, parse =>
        {
            string source = parse.GetValue(file)!;
            PyTorchStateDict raw = PyTorchCheckpoint.Load(source);
            NetworkSpec probe = ModelRegistry.Resolve(parse.GetValue(arch)!);
            int classes = OfficialWeights.ClassCount(raw, probe) ?? probe.Classes;
            NetworkSpec network = classes == probe.Classes ? probe : ModelRegistry.Resolve(parse.GetValue(arch)!, classes);
            Dictionary<string, TensorData> tensors = OfficialWeights.Read(raw, network);
            bool cityscapes = network.Classes == PublishedNetworks.CityscapesClasses && network.Family == Models.SqueezeNas.SqueezeNasGraphs.Family;
            CheckpointMetadata meta = CheckpointFile.NetworkMetadata(network, $"imported from {Path.GetFileName(source)}") with
            {
                Dataset = cityscapes ? "cityscapes" : null,
                ClassNames = cityscapes ? Data.Datasets.CityscapesLabels.Info.ClassNames : null,
            };
            string target = parse.GetValue(output)!;
            CheckpointFile.Save(target, meta, network.Graph.Parameters().Select(p => tensors[p.Name]));
            context.Console.WriteLine($"loaded {tensors.Count} tensors (strict) into {network.Name} ({network.Classes} classes); wrote {Path.GetFullPath(target)}");
            return 0;
        });
        return import;
    }

    private static Command Inspect(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "a PyTorch .pth/.pt file or a Nas checkpoint (.ckpt)" };
        var json = CommonOptions.Json();
        var inspect = new Command("inspect", "list the tensors (name, shape, dtype) of a checkpoint") { file, json };
        inspect.SetNasAction(context, parse =>
        {
            string path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new NasException($"file not found: '{path}'");
            }

            IReadOnlyList<(string Name, string DType, long[] Shape)> rows = path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase)
                ? CheckpointFile.Load(path).Tensors.Select(t => (t.Name, t.DType.ToString().ToLowerInvariant(), t.Shape.ToArray())).ToArray()
                : PyTorchCheckpoint.Load(path).Select(t => (t.Name, t.DType.ToString().ToLowerInvariant(), t.ShapeArray())).ToArray();
            if (parse.GetValue(json))
            {
                context.Console.Profile.Out.Writer.WriteLine(Core.IO.NasJson.Serialize(rows.Select(r => new { r.Name, r.DType, r.Shape }).ToArray()));
                return 0;
            }

            var table = new Table().AddColumns("#", "name", "shape", "dtype", "elements");
            for (int i = 0; i < rows.Count; i++)
            {
                (string name, string dtype, long[] shape) = rows[i];
                table.AddRow(i.ToString(CultureInfo.InvariantCulture), Markup.Escape(name), $"[[{string.Join(", ", shape)}]]", dtype,
                    shape.Aggregate(1L, (a, b) => a * b).ToString("N0", CultureInfo.InvariantCulture));
            }

            context.Console.Write(table);
            context.Console.WriteLine($"{rows.Count} tensors, {rows.Sum(r => r.Shape.Aggregate(1L, (a, b) => a * b)):N0} elements");
            return 0;
        });
        return inspect;
    }
}
