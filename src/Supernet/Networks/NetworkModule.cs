using Nas.Core.Graphs;
using Nas.Models;
using Nas.Supernet.Graphs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nas.Supernet.Networks;

/// <summary>
/// A network (<see cref="NetworkSpec"/>) as TorchSharp modules: the graph interpreted by <see cref="GraphModule"/>,
/// with the spec's encoder/classifier split for fine-tuning and the auxiliary outputs for training.
/// </summary>
public sealed class NetworkModule : GraphModule
{
    private (int H, int W)? _checkedSize;

    public NetworkModule(NetworkSpec spec, bool initialize = true)
        : base(spec.Graph)
    {
        Spec = spec;
        if (initialize)
        {
            WeightInit.Apply(this);
        }
    }

    public NetworkSpec Spec { get; }

    public int Classes => Spec.Classes;

    /// <summary>Parameters of the encoder: what <c>--freeze-encoder</c> freezes.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> EncoderParameters() =>
        named_parameters().Where(p => Spec.IsEncoderTensor(p.name));

    /// <summary>Layers of the encoder, e.g. to keep their BatchNorm statistics fixed while it is frozen.</summary>
    public IEnumerable<nn.Module> EncoderModules() =>
        Layers().Where(l => Spec.EncoderPrefixes.Any(p => (l.Name + ".").StartsWith(p, StringComparison.Ordinal))).Select(l => l.Module);

    public IReadOnlyList<string> ClassifierPrefixes => Spec.ClassifierPrefixes;

    public bool HasAuxiliaryOutputs => Graph.Outputs.Any(o => o.Role == OutputRole.Auxiliary);

    /// <summary>The main output; an input size the network cannot take is a one-line error naming its size rule.</summary>
    public override Tensor forward(Tensor input)
    {
        CheckSize(input);
        return base.forward(input);
    }

    /// <summary>
    /// The size rule and shape inference for the input's size, once per size: shape inference walks the whole graph,
    /// which on every step would cost a training step measurably (docs/benchmarks.md, the redesign before/after).
    /// </summary>
    private void CheckSize(Tensor input)
    {
        (int h, int w) size = ((int)input.shape[^2], (int)input.shape[^1]);
        if (_checkedSize != size)
        {
            Spec.CheckInputSize(size.h, size.w);
            _checkedSize = size;
        }
    }

    /// <summary>The main logits and every auxiliary output with its loss weight (for the training loss).</summary>
    public (Tensor Main, IReadOnlyList<(Tensor Logits, double Weight)> Auxiliary) ForwardForTraining(Tensor input)
    {
        CheckSize(input);
        Tensor[] outputs = Run([input]);
        Tensor? main = null;
        var aux = new List<(Tensor, double)>();
        for (int i = 0; i < outputs.Length; i++)
        {
            GraphOutput o = Graph.Outputs[i];
            if (o.Role == OutputRole.Main && main is null)
            {
                main = outputs[i];
            }
            else if (o.Role == OutputRole.Auxiliary)
            {
                aux.Add((outputs[i], o.LossWeight));
            }
            else
            {
                outputs[i].Dispose();
            }
        }

        return (main!, aux);
    }
}
