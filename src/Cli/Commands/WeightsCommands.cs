using System.CommandLine;
using Nas.Core.Genotypes;
using Nas.Supernet.Checkpoints;
using Nas.Supernet.Networks;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas weights import</c>: official PyTorch weights into a Nas checkpoint.</summary>
internal static class WeightsCommands
{
    public static Command Create(CliContext context)
    {
        var weights = new Command("weights", "import pretrained weights");
        var file = new Argument<string>("file") { Description = "PyTorch state dict (.pth, legacy or zip format)" };
        var arch = new Option<string>("--arch") { Description = "network the weights belong to (e.g. squeezenas-mac-small)", Required = true };
        var output = CommonOptions.OutputFile("Nas checkpoint to write (.ckpt)");
        var import = new Command("import", "read an official SqueezeNAS .pth strictly (no pickled code runs) and write a Nas checkpoint") { file, arch, output };
        import.SetNasAction(context, parse =>
        {
            NamedGenotype genotype = PublishedNetworks.Resolve(parse.GetValue(arch)!);
            string source = parse.GetValue(file)!;
            using var network = new SqueezeNasNetwork(genotype, initialize: false);
            StateDictLoadReport report = OfficialWeights.Load(source, network);
            CheckpointMetadata meta = NasCheckpoint.MetadataFor(network, $"imported from {Path.GetFileName(source)}") with
            {
                Dataset = genotype.Classes == PublishedNetworks.CityscapesClasses ? "cityscapes" : null,
                ClassNames = genotype.Classes == PublishedNetworks.CityscapesClasses ? Data.Datasets.CityscapesLabels.Info.ClassNames : null,
            };
            string target = parse.GetValue(output)!;
            NasCheckpoint.Save(target, network, meta);
            context.Console.WriteLine($"loaded {report.Loaded} tensors (strict) into {genotype.Name}; wrote {Path.GetFullPath(target)}");
            return 0;
        });
        weights.Subcommands.Add(import);
        return weights;
    }
}
