namespace Nas.Cli;

public static class Program
{
    public static int Main(string[] args) => NasCli.Run(args, CliContext.CreateForConsole());
}
