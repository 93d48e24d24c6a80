using Nas.Core;
using Nas.Core.Tensors;
using Nas.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Training.Optimization;

/// <summary>
/// An optimiser over a fixed list of parameters, with PyTorch's update rules. Used instead of TorchSharp's
/// optimisers because those build temporary <c>Scalar</c> objects for every update (learning rate, momentum, decay)
/// and pass their raw handles to native code without keeping the objects alive, so the garbage collector can
/// finalise a Scalar in the middle of a call; long training runs crashed with "Unknown scalar type". Here every
/// Scalar of a step is created once and disposed after the step. Parameters whose gradient is "none" are skipped.
/// The state (buffers, step counts) saves to and loads from checkpoint entries.
/// </summary>
public abstract class ParameterOptimizer : IDisposable
{
    private readonly Dictionary<string, Tensor> _state = new(StringComparer.Ordinal);

    protected ParameterOptimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        Parameters = parameters.ToArray();
        LearningRate = learningRate;
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    public double LearningRate { get; set; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Update();
    }

    public byte[] SaveState()
    {
        using var buffer = new MemoryStream();
        StateDictFile.Write(buffer, _state.Select(kv => TorchTensors.ToData(kv.Key, kv.Value)));
        return buffer.ToArray();
    }

    public void LoadState(byte[] bytes, string source)
    {
        Dictionary<string, Tensor> loaded;
        using (var buffer = new MemoryStream(bytes))
        {
            loaded = StateDictFile.Read(buffer, source).ToDictionary(t => t.Name, TorchTensors.ToTensor, StringComparer.Ordinal);
        }

        foreach ((string key, Tensor value) in loaded)
        {
            int index = IndexOf(key, source);
            if (index >= Parameters.Count || (!key.StartsWith("step.", StringComparison.Ordinal) && !value.shape.SequenceEqual(Parameters[index].shape)))
            {
                throw new NasException($"{source}: optimiser state '{key}' does not fit this run's parameters");
            }
        }

        Clear();
        foreach ((string key, Tensor value) in loaded)
        {
            _state[key] = value.DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        Clear();
        GC.SuppressFinalize(this);
    }

    protected abstract void Update();

    /// <summary>A state tensor of parameter <paramref name="index"/>, created (detached from any dispose scope) on first use.</summary>
    protected Tensor State(string name, int index, Func<Tensor> create)
    {
        string key = $"{name}.{index}";
        if (!_state.TryGetValue(key, out Tensor? t))
        {
            t = create().DetachFromDisposeScope();
            _state[key] = t;
        }

        return t;
    }

    protected bool HasState(string name, int index) => _state.ContainsKey($"{name}.{index}");

    private static int IndexOf(string key, string source)
    {
        int dot = key.LastIndexOf('.');
        return dot > 0 && int.TryParse(key[(dot + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i)
            ? i
            : throw new NasException($"{source}: unexpected optimiser state key '{key}'");
    }

    private void Clear()
    {
        foreach (Tensor t in _state.Values)
        {
            t.Dispose();
        }

        _state.Clear();
    }
}
