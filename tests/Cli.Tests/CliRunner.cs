namespace Nas.Cli.Tests;

/// <summary>Runs the nas command in-process with captured output.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = NasCli.Run(args, CliContext.CreateForWriters(output, error));
        return (code, output.ToString(), error.ToString());
    }
}
