using System.CommandLine;
using System.Globalization;
using Nas.Core.IO;
using Nas.Core.OneShot;
using Nas.OneShot.Ranking;
using Nas.OneShot.Training;
using Nas.Training.Schedules;
using Spectre.Console;

namespace Nas.Cli.Commands;

/// <summary><c>nas supernet train|rank</c>: weight-sharing supernet training (train once) and its ranking-quality check.</summary>
internal static class SupernetCommands
{
    public static Command Create(CliContext context)
    {
        var supernet = new Command("supernet", "one-shot supernet: train the shared weights once (no architecture parameters), check how well they rank networks");
        supernet.Subcommands.Add(Train(context));
        supernet.Subcommands.Add(Rank(context));
        return supernet;
    }

    /// <summary>-o / --output, with --out accepted as in <c>nas search</c>.</summary>
    internal static Option<string> Output(string description) => new("--output", "-o", "--out") { Description = description, Required = true };

    private static Command Train(CliContext context)
    {
        var config = new Option<string>("--config") { Description = "JSON config (the schema of a run's config.json); command-line options override it" };
        var space = new Option<string>("--space") { Description = "small, large, xlarge or a space JSON file (default small)" };
        var input = new Option<string>("--input") { Description = "training crop HxW = the supernet's input size; tables for the searches must match it (default 256x512)" };
        var sampling = KebabEnum.Option<PathSampling>("--sampling", "uniform (SPOS: random paths per step) or sandwich (largest + smallest + random paths, gradients accumulated) (default uniform)");
        var fairness = KebabEnum.Option<PathFairness>("--fairness", "strict (each candidate of each position exactly once per K random paths, FairNAS) or none (i.i.d. uniform) (default strict)");
        var randomPaths = new Option<int?>("--random-paths") { Description = "random paths per step (default 1 for uniform, 2 for sandwich; 13 = FairNAS: every candidate once per step)" };
        var sandwichCost = new Option<string>("--sandwich-cost") { Description = "sandwich: 'largest'/'smallest' by macs (analytic) or by a lookup table CSV (default macs)" };
        var epochs = new Option<int?>("--epochs") { Description = "training epochs (default 30)" };
        var lr = new Option<double?>("--lr") { Description = "SGD learning rate (default 0.05)" };
        var schedule = KebabEnum.Option<LrScheduleKind>("--schedule", "learning-rate schedule (default cosine)");
        var holdout = new Option<double?>("--holdout") { Description = "share of the training split kept for scoring sub-networks (default 0.2; 0 = score on the validation split)" };
        var seed = new Option<int?>("--seed") { Description = "random seed (default 0)" };
        var threads = new Option<int?>("--threads") { Description = "TorchSharp threads (default 2)" };
        var output = Output("run folder (checkpoints in RUN/checkpoints)");
        var resume = new Option<bool>("--resume") { Description = "continue the run exactly where its last checkpoint left it" };
        var force = new Option<bool>("--force") { Description = "overwrite a run folder that holds a different run" };
        var data = new DataOptions();
        var command = new Command("train", "train the supernet's shared weights once by sampling paths (SPOS or the sandwich rule, fair sampling); searches for any device then need no retraining")
        {
            config, space, input, sampling, fairness, randomPaths, sandwichCost, epochs, lr, schedule, holdout, seed, threads, output, resume, force,
        };
        foreach (Option o in data.All)
        {
            command.Options.Add(o);
        }

        command.SetNasAction(context, (parse, token) =>
        {
            SupernetTrainConfig c = parse.GetValue(config) is string file ? NasJson.ReadFile<SupernetTrainConfig>(file) : new SupernetTrainConfig();
            SupernetTrainOptions t = c.Train;
            t = t with
            {
                Sampling = parse.Pick(sampling, t.Sampling),
                Fairness = parse.Pick(fairness, t.Fairness),
                RandomPaths = parse.Given(randomPaths) ? parse.GetValue(randomPaths) : t.RandomPaths,
                SandwichCost = parse.Pick(sandwichCost, t.SandwichCost),
                Epochs = parse.Pick(epochs, t.Epochs),
                Lr = parse.Pick(lr, t.Lr),
                Schedule = parse.Pick(schedule, t.Schedule),
                Seed = parse.Pick(seed, t.Seed),
            };
            c = c with
            {
                Space = parse.Pick(space, c.Space),
                Holdout = parse.Pick(holdout, c.Holdout),
                Threads = parse.Pick(threads, c.Threads),
                Data = data.Merge(parse, c.Data) with { Crop = parse.Pick(input, c.Data.Crop) },
                Train = t,
            };
            string outDir = parse.GetValue(output)!;
            SupernetTrainResult result = context.WithProgress("supernet", p =>
                SupernetTrainWorkflow.Run(c, outDir, parse.GetValue(resume), parse.GetValue(force), context.LoggerFactory, p, token));
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"supernet trained for {result.Epochs} epochs (final loss {result.History[^1].Loss:F4}); checkpoint: {result.CheckpointPath}"));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Rank(CliContext context)
    {
        var supernetPath = new Option<string>("--supernet") { Description = "checkpoint of 'nas supernet train' (RUN/checkpoints/last.ckpt)", Required = true };
        var samples = new Option<int>("--samples") { Description = "networks, spread evenly over the cost range", DefaultValueFactory = _ => 10 };
        var retrainEpochs = new Option<int>("--retrain-epochs") { Description = "stand-alone training epochs per network (same budget for all)", DefaultValueFactory = _ => 5 };
        var retrainLr = new Option<double>("--retrain-lr") { Description = "stand-alone SGD learning rate (poly schedule)", DefaultValueFactory = _ => 0.05 };
        var table = new Option<string>("--table") { Description = "cost that spreads the samples: macs or a lookup table CSV of the supernet's space and input", DefaultValueFactory = _ => "macs" };
        var bnBatches = new Option<int>("--bn-batches") { Description = "training batches for the BatchNorm re-estimation of each network", DefaultValueFactory = _ => 8 };
        var evalImages = new Option<int>("--eval-images") { Description = "held-out images to score on (0 = all)", DefaultValueFactory = _ => 0 };
        var root = new Option<string>("--root") { Description = "dataset folder, when the data has moved since the supernet was trained" };
        var cache = new Option<string>("--eval-cache") { Description = "evaluation cache file shared with searches on the same supernet (default DIR/evaluations.json)" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var output = Output("folder for rank.csv, summary.json, plots/rank.png and the retraining runs");
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted check (finished retrainings are kept)" };
        var force = new Option<bool>("--force") { Description = "overwrite a folder that holds a different check" };
        var command = new Command("rank", "ranking quality of weight sharing: Kendall τ and Spearman ρ between inherited-weight mIoU and stand-alone mIoU after short retraining")
        {
            supernetPath, samples, retrainEpochs, retrainLr, table, bnBatches, evalImages, root, cache, seed, threads, output, resume, force,
        };
        command.SetNasAction(context, (parse, token) =>
        {
            var c = new RankConfig
            {
                Supernet = parse.GetValue(supernetPath)!,
                Samples = parse.GetValue(samples),
                RetrainEpochs = parse.GetValue(retrainEpochs),
                RetrainLr = parse.GetValue(retrainLr),
                Table = parse.GetValue(table)!,
                BnBatches = parse.GetValue(bnBatches),
                EvalImages = parse.GetValue(evalImages),
                Root = parse.GetValue(root),
                EvalCache = parse.GetValue(cache),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
            };
            string outDir = parse.GetValue(output)!;
            RankSummary summary = context.WithProgress("rank", p =>
                RankWorkflow.Run(c, outDir, parse.GetValue(resume), parse.GetValue(force), context.LoggerFactory, p, token));
            context.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Kendall τ {summary.KendallTau:F3}, Spearman ρ {summary.SpearmanRho:F3} over {summary.Samples} networks; written to {Path.GetFullPath(outDir)}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
