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
        var config = new Option<string>("--config") { Description = "JSON config (the schema of a run's config.json); command-line options override it" };
        var arch = new Option<string>("--arch") { Description = "published network name, genotype JSON file or genotype text (default squeezenas-mac-small)" };
        var stage = new Option<string>("--stage") { Description = "full, or encoder: train only the encoder with a single 8x upsampling layer as the decoder, for --init of the full network (enet, enet-relu-deconv, espnet; default full)" };
        var init = new Option<string>("--init") { Description = "none, a Nas checkpoint (.ckpt; of this network or of its encoder stage) or official PyTorch weights (.pth) (default none)" };
        var epochs = new Option<int?>("--epochs") { Description = "epochs (default 30)" };
        var accumulate = new Option<int?>("--accumulate") { Description = "optimiser step every K batches: effective batch = batch × K (default 1)" };
        var crop = new Option<string>("--crop") { Description = "training crop HxW (default 256x512)" };
        var evalSize = new Option<string>("--eval-size") { Description = "resize validation images to HxW (default: native size)" };
        var optimizer = KebabEnum.Option<OptimizerKind>("--optimizer", "sgd or adam (default sgd)");
        var lr = new Option<double?>("--lr") { Description = "learning rate (default 0.01)" };
        var schedule = KebabEnum.Option<LrScheduleKind>("--schedule", "poly, step, cosine or constant (default poly)");
        var weightDecay = new Option<double?>("--weight-decay") { Description = "weight decay (default 1e-4)" };
        var classWeights = new Option<string>("--class-weights") { Description = "none, enet or a file of per-class weights (default none)" };
        var freeze = new Option<int?>("--freeze-encoder") { Description = "train only the head for the first N epochs (encoder weights and BatchNorm statistics frozen), then everything", Arity = ArgumentArity.ZeroOrOne };
        var bestBy = KebabEnum.Option<BestMetric>("--best-by", "miou or val-loss: what best.ckpt keeps (default miou)");
        var valSplit = new Option<string>("--val-split") { Description = "validation split (default val; '' for none)" };
        var seed = new Option<int?>("--seed") { Description = "random seed (default 0)" };
        var threads = new Option<int?>("--threads") { Description = "TorchSharp threads (default 2)" };
        var output = new Option<string>("--out") { Description = "run folder", Required = true };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its last checkpoint" };
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
                Optimizer = parse.Pick(optimizer, c.Train.Optimizer),
                Lr = parse.Pick(lr, c.Train.Lr),
                Schedule = parse.Pick(schedule, c.Train.Schedule),
                WeightDecay = parse.Pick(weightDecay, c.Train.WeightDecay),
                BestBy = parse.Pick(bestBy, c.Train.BestBy),
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
