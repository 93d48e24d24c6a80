using System.CommandLine;
using Nas.Core.IO;
using Nas.Retrain.Runs;
using Nas.Retrain.Training;
using Nas.Training.Schedules;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas train</c>: retrain or fine-tune a found or published network.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var d = new TrainRunConfig();
        var config = new Option<string>("--config") { Description = "JSON config (the schema of a run's config.json); command-line options override it" };
        var arch = new Option<string>("--arch") { Description = "registered network name (nas arch list; options as NAME:key=value;...), genotype JSON file, genotype text or layer-graph JSON file", DefaultValueFactory = _ => d.Arch };
        var stage = new Option<string>("--stage") { Description = "full, or encoder: train only the encoder with a single 8x upsampling layer as the decoder, for --init of the full network (enet, enet-relu-deconv, espnet)", DefaultValueFactory = _ => "full" };
        var init = new Option<string>("--init") { Description = "none, a Nas checkpoint (.ckpt; of this network or of its encoder stage) or official PyTorch weights (.pth)", DefaultValueFactory = _ => d.Init };
        var epochs = new Option<int>("--epochs") { Description = "epochs", DefaultValueFactory = _ => d.Train.Epochs };
        var accumulate = new Option<int>("--accumulate") { Description = "optimiser step every K batches: effective batch = batch × K", DefaultValueFactory = _ => d.Train.Accumulate };
        var crop = new Option<string>("--crop") { Description = "training crop HxW", DefaultValueFactory = _ => d.Data.Crop };
        var evalSize = new Option<string>("--eval-size") { Description = "resize validation images to HxW (default: native size)" };
        var optimizer = KebabEnum.Option("--optimizer", "sgd or adam", d.Train.Optimizer);
        var lr = new Option<double>("--lr") { Description = "learning rate", DefaultValueFactory = _ => d.Train.Lr };
        var schedule = KebabEnum.Option("--schedule", "poly, step, cosine or constant", d.Train.Schedule);
        var weightDecay = new Option<double>("--weight-decay") { Description = "weight decay", DefaultValueFactory = _ => d.Train.WeightDecay };
        var classWeights = new Option<string>("--class-weights") { Description = "none, enet or a file of per-class weights", DefaultValueFactory = _ => d.ClassWeights };
        var freeze = new Option<int?>("--freeze-encoder") { Description = "train only the head for the first N epochs (encoder weights and BatchNorm statistics frozen), then everything (N = 1 when omitted)", Arity = ArgumentArity.ZeroOrOne };
        var bestBy = KebabEnum.Option("--best-by", "miou or val-loss: what best.ckpt keeps", d.Train.BestBy);
        var valSplit = new Option<string>("--val-split") { Description = "validation split ('' for none)", DefaultValueFactory = _ => d.Data.ValSplit };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => d.Train.Seed };
        var threads = new Option<int>("--threads") { Description = "TorchSharp threads", DefaultValueFactory = _ => d.Threads };
        var output = CommonOptions.OutputFile("run folder");
        var resume = new Option<bool>("--resume") { Description = "continue the run in --output from its last checkpoint" };
        var force = new Option<bool>("--force") { Description = "overwrite a run folder that holds a different run" };
        var data = new DataOptions();
        var command = new Command("train", "train or fine-tune a network (transfer learning from .ckpt or official .pth weights)")
        {
            config, arch, stage, init, epochs, accumulate, crop, evalSize, optimizer, lr, schedule, weightDecay, classWeights, freeze, bestBy, valSplit, seed, threads, output, resume, force,
        };
        foreach (Option o in data.All)
        {
            command.Options.Add(o);
        }

        command.SetNasAction(context, (parse, token) =>
        {
            TrainRunConfig c = parse.GetValue(config) is string file ? NasJson.ReadFile<TrainRunConfig>(file) : new TrainRunConfig();
            TrainOptions t = c.Train with
            {
                Epochs = parse.Pick(epochs, c.Train.Epochs),
                Accumulate = parse.Pick(accumulate, c.Train.Accumulate),
                Optimizer = parse.PickEnum(optimizer, c.Train.Optimizer),
                Lr = parse.Pick(lr, c.Train.Lr),
                Schedule = parse.PickEnum(schedule, c.Train.Schedule),
                WeightDecay = parse.Pick(weightDecay, c.Train.WeightDecay),
                BestBy = parse.PickEnum(bestBy, c.Train.BestBy),
                Seed = parse.Pick(seed, c.Train.Seed),
                FreezeEncoderEpochs = parse.Given(freeze) ? parse.GetValue(freeze) ?? 1 : c.Train.FreezeEncoderEpochs,
            };
            c = c with
            {
                Arch = parse.Pick(arch, c.Arch),
                Stage = parse.Pick(stage, c.Stage),
                Init = parse.Pick(init, c.Init),
                ClassWeights = parse.Pick(classWeights, c.ClassWeights),
                Threads = parse.Pick(threads, c.Threads),
                Data = data.Merge(parse, c.Data) with
                {
                    Crop = parse.Pick(crop, c.Data.Crop),
                    EvalSize = parse.Given(evalSize) ? parse.GetValue(evalSize) : c.Data.EvalSize,
                    ValSplit = parse.Pick(valSplit, c.Data.ValSplit),
                },
                Train = t,
            };
            string outDir = parse.GetValue(output)!;
            TrainResult result = context.WithProgress("train", p => TrainWorkflow.Run(c, outDir, parse.GetValue(resume), parse.GetValue(force), context.LoggerFactory, p, token));
            TrainEpochRow last = result.History[^1];
            context.Console.MarkupLine($"[bold]done[/]: {result.Epochs} epochs; last val mIoU {last.ValMiou:P2}, best epoch {result.BestEpoch}");
            context.Console.WriteLine($"checkpoints: {Path.Combine(Path.GetFullPath(outDir), "checkpoints")}");
            return Task.FromResult(0);
        });
        return command;
    }
}
