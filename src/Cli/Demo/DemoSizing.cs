using Nas.Core;

namespace Nas.Cli.Demo;

/// <summary>
/// The epochs of the searches and trainings, sized from measured step times so that the demo fits its budget: of
/// the time left after the fixed stages (data, latency table, calibration, timing) and a reserve for measurement and
/// report, the searches get <see cref="DemoPlan.SearchShare"/> and the trainings the rest. Every search gets the same
/// epochs and every network the same training epochs. When even the minimum epochs do not fit, the minimum is used
/// and <see cref="FitsBudget"/> is false (the log and report say so).
/// </summary>
/// <param name="AvailableSeconds">Time left for searches and trainings when the sizing was made.</param>
/// <param name="PlannedSearchSeconds">Estimated time of all searches at these epochs.</param>
/// <param name="PlannedTrainSeconds">Estimated time of all trainings (with validation) at these epochs.</param>
public sealed record DemoSizing(
    int SearchEpochs,
    int SearchWarmup,
    int TrainEpochs,
    DemoStepTimes Steps,
    double AvailableSeconds,
    double PlannedSearchSeconds,
    double PlannedTrainSeconds,
    bool FitsBudget)
{
    public const int MinSearchEpochs = 3;
    public const int MaxSearchEpochs = 40;
    public const int MinTrainEpochs = 2;
    public const int MaxTrainEpochs = 40;

    /// <param name="searches">Number of searches (one per target).</param>
    /// <param name="searchStepsPerEpoch">Weight batches per search epoch.</param>
    /// <param name="networks">Networks trained (searched, random, published).</param>
    /// <param name="trainStepsPerEpoch">Batches per training epoch.</param>
    /// <param name="valImages">Images validated after every training epoch.</param>
    /// <param name="availableSeconds">Time left for searches and trainings.</param>
    public static DemoSizing Size(DemoPlan plan, DemoStepTimes steps, int searches, int searchStepsPerEpoch, int networks, int trainStepsPerEpoch, int valImages, double availableSeconds)
    {
        if (!(steps.SearchStep > 0) || !(steps.TrainStep > 0) || !(steps.EvalImage >= 0) || !(steps.SearchRun >= 0) || !(steps.TrainRun >= 0)
            || searches < 1 || networks < 1 || searchStepsPerEpoch < 1 || trainStepsPerEpoch < 1)
        {
            throw new NasException($"cannot size the demo from step times {steps} ({searches} searches of {searchStepsPerEpoch} steps, {networks} networks of {trainStepsPerEpoch} steps)");
        }

        double available = Math.Max(0, availableSeconds);
        double searchBudget = available * plan.SearchShare;
        int searchEpochs = MinSearchEpochs;
        for (int e = MaxSearchEpochs; e >= MinSearchEpochs; e--)
        {
            if (SearchSeconds(e, steps, searches, searchStepsPerEpoch) <= searchBudget)
            {
                searchEpochs = e;
                break;
            }
        }

        double searchSeconds = SearchSeconds(searchEpochs, steps, searches, searchStepsPerEpoch);
        double trainEpochSeconds = networks * ((trainStepsPerEpoch * steps.TrainStep) + (valImages * steps.EvalImage));
        double trainRuns = networks * steps.TrainRun;
        int trainEpochs = Math.Clamp((int)Math.Floor((available - searchSeconds - trainRuns) / trainEpochSeconds), MinTrainEpochs, MaxTrainEpochs);
        double trainSeconds = trainRuns + (trainEpochs * trainEpochSeconds);
        return new DemoSizing(searchEpochs, Warmup(searchEpochs), trainEpochs, steps, available, searchSeconds, trainSeconds, searchSeconds + trainSeconds <= available);
    }

    /// <summary>Warm-up (weight-only) epochs of a search: a quarter, at least one.</summary>
    public static int Warmup(int searchEpochs) => Math.Max(1, (int)Math.Round(searchEpochs * 0.25));

    /// <summary>Estimated time of all searches: a warm-up step has no architecture update and costs about half a step.</summary>
    private static double SearchSeconds(int epochs, DemoStepTimes steps, int searches, int stepsPerEpoch)
    {
        int warmup = Warmup(epochs);
        return searches * ((stepsPerEpoch * steps.SearchStep * ((0.5 * warmup) + (epochs - warmup))) + steps.SearchRun);
    }
}
