using System.Text;
using Spectre.Console;

namespace Nas.Cli.Console;

/// <summary>Routes System.CommandLine's help output through the context's console (so tests capture it).</summary>
internal sealed class SpectreTextWriter(IAnsiConsole console) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            console.Profile.Out.Writer.WriteLine(_line.ToString());
            _line.Clear();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            console.Profile.Out.Writer.Write(_line.ToString());
            _line.Clear();
        }

        console.Profile.Out.Writer.Flush();
    }
}
