using System.CommandLine;

namespace Nas.Cli.Commands;

/// <summary>The top-level commands, one factory per command group (one file each).</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        ArchCommands.Create(context),
        DataCommands.Create(context),
        WeightsCommands.Create(context),
        SearchCommand.Create(context),
        SupernetCommands.Create(context),
        TrainCommand.Create(context),
        EvalCommand.Create(context),
        PredictCommand.Create(context),
        ExportCommands.Create(context),
        LutCommands.Create(context),
        DemoCommand.Create(context),
        BenchCommands.Create(context),
    ];
}
