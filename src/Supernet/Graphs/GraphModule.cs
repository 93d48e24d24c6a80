using Nas.Core.Graphs;
using Nas.Core.Graphs.Nodes;
using Nas.Supernet.Layers;
using Nas.Training.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Nas.Supernet.Graphs;

/// <summary>
/// A <see cref="LayerGraph"/> run by TorchSharp: one module per parametric node (convolutions, BatchNorm, PReLU, choices),
/// registered under the node's name so that <c>state_dict()</c> names are the graph's tensor names, and a compiled list
/// of steps that computes the nodes in order. Intermediate tensors are disposed as soon as their last reader has run,
/// and ReLUs and adds work in place where the value has no other reader and its producer does not need it for the
/// backward pass (convolution, BatchNorm, add, concat, multiply, pad outputs) — the memory behaviour of the
/// hand-written modules this replaces.
/// </summary>
public class GraphModule : nn.Module<Tensor, Tensor>
{
    private readonly Dictionary<string, nn.Module> _layers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModuleScope> _scopes = new(StringComparer.Ordinal);
    private readonly Step[] _steps;
    private readonly Step[]? _inferenceSteps;
    private readonly int[] _inferenceOutputSlots;
    private readonly int[] _inputSlots;
    private readonly int[] _outputSlots;
    private readonly int _mainOutput;
    private readonly int _slotCount;

    /// <param name="graph">The graph to run.</param>
    /// <param name="choiceFactory">Builds the module of each choice node (supernets); a graph with choices needs one.</param>
    public GraphModule(LayerGraph graph, Func<ChoiceNode, nn.Module<Tensor, Tensor>>? choiceFactory = null)
        : base(nameof(GraphModule))
    {
        Graph = graph;
        foreach (Node node in graph.Nodes)
        {
            nn.Module? layer = node switch
            {
                ConvNode c => nn.Conv2d(c.InChannels, c.OutChannels, (c.Kernel.H, c.Kernel.W), (c.Stride.H, c.Stride.W), (c.Padding.H, c.Padding.W), (c.Dilation.H, c.Dilation.W), groups: c.Groups, bias: c.Bias),
                ConvTransposeNode t => nn.ConvTranspose2d(t.InChannels, t.OutChannels, (t.Kernel.H, t.Kernel.W), (t.Stride.H, t.Stride.W), (t.Padding.H, t.Padding.W), (t.OutputPadding.H, t.OutputPadding.W), groups: t.Groups, bias: t.Bias),
                BatchNormNode b => new BatchNormalization(b.Channels, b.Eps, b.Momentum),
                PReluNode p => nn.PReLU(p.Slopes),
                ChoiceNode choice => (choiceFactory ?? throw new InvalidOperationException($"graph '{graph.Name}' has choice '{choice.Name}' but no choice factory"))(choice),
                _ => null,
            };
            if (layer is not null)
            {
                Register(node.Name, layer);
                _layers[node.Name] = layer;
            }
        }

        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (GraphInput input in graph.Inputs)
        {
            slots[input.Name] = slots.Count;
        }

        foreach (Node node in graph.Nodes)
        {
            for (int i = 0; i < node.OutputCount; i++)
            {
                slots[node.Output(i)] = slots.Count;
            }
        }

        _slotCount = slots.Count;
        _inputSlots = graph.Inputs.Select(i => slots[i.Name]).ToArray();
        _outputSlots = graph.Outputs.Select(o => slots[o.Value]).ToArray();
        _mainOutput = graph.Outputs.ToList().FindIndex(o => o.Role == OutputRole.Main);
        _steps = Compile(graph, slots);

        // forward returns the main output only: a graph with auxiliary outputs runs its inference subgraph there.
        LayerGraph inference = graph.ForInference();
        _inferenceSteps = ReferenceEquals(inference, graph) ? null : Compile(inference, slots);
        _inferenceOutputSlots = inference.Outputs.Select(o => slots[o.Value]).ToArray();
    }

    public LayerGraph Graph { get; }

    /// <summary>
    /// Runs a choice node: (choice, its module, input) → output. Null runs the module's own forward. A supernet sets it
    /// to run the current architecture sample.
    /// </summary>
    public Func<ChoiceNode, nn.Module<Tensor, Tensor>, Tensor, Tensor>? ChoiceRunner { get; set; }

    /// <summary>The module of a parametric node (convolution, BatchNorm, PReLU, choice), or null.</summary>
    public nn.Module? Layer(string nodeName) => _layers.GetValueOrDefault(nodeName);

    public IEnumerable<(string Name, nn.Module Module)> Layers() => _layers.Select(kv => (kv.Key, kv.Value));

    /// <summary>Every graph output (in <see cref="LayerGraph.Outputs"/> order) for the given inputs.</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs) => Execute(inputs, _steps, _outputSlots);

    /// <summary>The main output; auxiliary outputs (and the nodes only they need) are not computed.</summary>
    public override Tensor forward(Tensor input)
    {
        // The inference graph keeps the main outputs in order, so the first main output is its output 0.
        (Tensor[] outputs, int main) = _inferenceSteps is null
            ? (Execute([input], _steps, _outputSlots), _mainOutput)
            : (Execute([input], _inferenceSteps, _inferenceOutputSlots), 0);
        for (int i = 0; i < outputs.Length; i++)
        {
            if (i != main)
            {
                outputs[i].Dispose();
            }
        }

        return outputs[main];
    }

    private Tensor[] Execute(IReadOnlyList<Tensor> inputs, Step[] steps, int[] outputSlots)
    {
        if (inputs.Count != _inputSlots.Length)
        {
            throw new ArgumentException($"graph '{Graph.Name}' takes {_inputSlots.Length} inputs, got {inputs.Count}", nameof(inputs));
        }

        var slots = new Tensor?[_slotCount];
        for (int i = 0; i < inputs.Count; i++)
        {
            slots[_inputSlots[i]] = inputs[i];
        }

        try
        {
            foreach (Step step in steps)
            {
                step.Run(this, slots);
                foreach (int dead in step.Free)
                {
                    slots[dead]?.Dispose();
                    slots[dead] = null;
                }
            }

            var outputs = new Tensor[outputSlots.Length];
            for (int i = 0; i < outputs.Length; i++)
            {
                int s = outputSlots[i];
                // Outputs that are inputs (an identity graph) or that appear twice are returned as new handles.
                bool shared = _inputSlots.Contains(s) || Array.IndexOf(outputSlots, s) != i;
                outputs[i] = shared ? slots[s]!.alias() : slots[s]!;
            }

            return outputs;
        }
        catch
        {
            for (int s = 0; s < slots.Length; s++)
            {
                if (!_inputSlots.Contains(s))
                {
                    slots[s]?.Dispose();
                }
            }

            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (nn.Module layer in _layers.Values)
            {
                layer.Dispose();
            }

            foreach (ModuleScope scope in _scopes.Values)
            {
                scope.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Register(string dottedName, nn.Module layer)
    {
        string[] parts = dottedName.Split('.');
        nn.Module parent = this;
        Dictionary<string, ModuleScope> children = _scopes;
        string path = string.Empty;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            path = i == 0 ? parts[0] : $"{path}.{parts[i]}";
            if (!_scopes.TryGetValue(path, out ModuleScope? scope))
            {
                scope = new ModuleScope(parts[i]);
                _scopes[path] = scope;
                parent.register_module(parts[i], scope);
            }

            parent = scope;
        }

        parent.register_module(parts[^1], layer);
    }

    private static Step[] Compile(LayerGraph graph, Dictionary<string, int> slots)
    {
        var readers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string v in graph.Nodes.SelectMany(n => n.Inputs))
        {
            readers[v] = readers.GetValueOrDefault(v) + 1;
        }

        var outputValues = graph.Outputs.Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
        var inputValues = graph.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var lastReader = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (string v in graph.Nodes[i].Inputs)
            {
                lastReader[v] = i;
            }
        }

        // A value may be overwritten in place by its only reader when it is not an input or output of the graph and its
        // producer's backward pass does not read it.
        bool InPlace(string value) =>
            readers.GetValueOrDefault(value) == 1 && !outputValues.Contains(value) && !inputValues.Contains(value)
            && graph.ProducerOf(value) is ConvNode or ConvTransposeNode or BatchNormNode or AddNode or ConcatNode or MulNode or PadNode
            && !value.Contains(':', StringComparison.Ordinal);

        var steps = new Step[graph.Nodes.Count];
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            Node node = graph.Nodes[i];
            int[] inputs = node.Inputs.Select(v => slots[v]).ToArray();
            int[] outputs = Enumerable.Range(0, node.OutputCount).Select(k => slots[node.Output(k)]).ToArray();
            int[] free = node.Inputs.Distinct().Where(v => lastReader[v] == i && !outputValues.Contains(v) && !inputValues.Contains(v)).Select(v => slots[v]).ToArray();
            bool inPlace0 = node.Inputs.Count > 0 && InPlace(node.Inputs[0]);
            bool inPlace1 = node.Inputs.Count > 1 && InPlace(node.Inputs[1]) && node.Inputs[1] != node.Inputs[0];
            steps[i] = new Step(node, inputs, outputs, free, inPlace0, inPlace1);
        }

        return steps;
    }

    /// <summary>One compiled node: reads its input slots, writes its output slots; <see cref="Free"/> lists slots dead after it.</summary>
    private sealed class Step(Node node, int[] inputs, int[] outputs, int[] free, bool inPlace0, bool inPlace1)
    {
        public int[] Free { get; } = free;

        public void Run(GraphModule owner, Tensor?[] slots)
        {
            Tensor x = slots[inputs[0]]!;
            switch (node)
            {
                case ChoiceNode choice:
                    var choiceModule = (nn.Module<Tensor, Tensor>)owner._layers[node.Name];
                    slots[outputs[0]] = owner.ChoiceRunner is { } runner ? runner(choice, choiceModule, x) : choiceModule.call(x);
                    break;
                case ConvNode or ConvTransposeNode or BatchNormNode or PReluNode:
                    slots[outputs[0]] = ((nn.Module<Tensor, Tensor>)owner._layers[node.Name]).call(x);
                    break;
                case ActivationNode a:
                    slots[outputs[0]] = Activate(a.Function, x, inPlace0);
                    Move(slots, inPlace0 && a.Function == Core.Graphs.ActivationFunction.Relu);
                    break;
                case AddNode:
                    Tensor y = slots[inputs[1]]!;
                    slots[outputs[0]] = inPlace0 ? x.AddInPlace(y) : inPlace1 ? y.AddInPlace(x) : x.Plus(y);
                    if (inPlace0 || inPlace1)
                    {
                        slots[inPlace0 ? inputs[0] : inputs[1]] = null;
                    }

                    break;
                case MulNode:
                    slots[outputs[0]] = x.mul(slots[inputs[1]]!);
                    break;
                case ConcatNode:
                    slots[outputs[0]] = cat(inputs.Select(s => slots[s]!).ToArray(), 1);
                    break;
                case SliceNode s:
                    slots[outputs[0]] = x[.., .., s.StartH..(s.EndH ?? (int)x.shape[2]), s.StartW..(s.EndW ?? (int)x.shape[3])];
                    break;
                case CropLikeNode c:
                    slots[outputs[0]] = Crop(x, slots[inputs[1]]!, c.OffsetH, c.OffsetW);
                    break;
                case PadNode p:
                    slots[outputs[0]] = p.ChannelsAfter > 0
                        ? pad(x, [p.Left, p.Right, p.Top, p.Bottom, 0, p.ChannelsAfter])
                        : pad(x, [p.Left, p.Right, p.Top, p.Bottom]);
                    break;
                case PadToMultipleNode m:
                    long padH = m.RoundUp((int)x.shape[2]) - x.shape[2], padW = m.RoundUp((int)x.shape[3]) - x.shape[3];
                    slots[outputs[0]] = padH > 0 || padW > 0 ? pad(x, [0, padW, 0, padH]) : x.alias();
                    break;
                case AvgPoolNode ap:
                    Pair k = ap.WindowFor(new ValueShape((int)x.shape[1], (int)x.shape[2], (int)x.shape[3]));
                    slots[outputs[0]] = avg_pool2d(x, [k.H, k.W], [ap.Stride.H, ap.Stride.W], [ap.Padding.H, ap.Padding.W], ap.CeilMode, ap.CountIncludePad);
                    break;
                case MaxPoolNode mp when mp.ReturnIndices:
                    (Tensor values, Tensor indices) = max_pool2d_with_indices(x, [mp.Kernel.H, mp.Kernel.W], [mp.Stride.H, mp.Stride.W], [mp.Padding.H, mp.Padding.W], [1, 1], mp.CeilMode);
                    slots[outputs[0]] = values;
                    slots[outputs[1]] = indices;
                    break;
                case MaxPoolNode mp:
                    slots[outputs[0]] = max_pool2d(x, [mp.Kernel.H, mp.Kernel.W], [mp.Stride.H, mp.Stride.W], [mp.Padding.H, mp.Padding.W], [1, 1], mp.CeilMode);
                    break;
                case MaxUnpoolNode u:
                    slots[outputs[0]] = Unpool(x, slots[inputs[1]]!, slots[inputs[2]]!);
                    break;
                case GlobalAvgPoolNode:
                    slots[outputs[0]] = x.mean([2, 3], keepdim: true);
                    break;
                case ResizeNode r:
                    slots[outputs[0]] = Resize(r, x, r.HasSizeReference ? slots[inputs[1]] : null);
                    break;
                case DropoutNode d:
                    slots[outputs[0]] = !owner.training || d.P == 0 ? x.alias() : d.Channelwise ? dropout2d(x, d.P, true) : dropout(x, d.P, true);
                    break;
                case LocalResponseNormNode l:
                    slots[outputs[0]] = local_response_norm(x, l.Size, l.Alpha, l.Beta, l.K);
                    break;
                default:
                    throw new NotSupportedException($"node kind '{node.Kind}' has no TorchSharp lowering");
            }

            void Move(Tensor?[] s, bool moved)
            {
                if (moved)
                {
                    s[inputs[0]] = null;
                }
            }
        }

        private static Tensor Activate(Core.Graphs.ActivationFunction f, Tensor x, bool inPlace) => f switch
        {
            Core.Graphs.ActivationFunction.Relu => inPlace ? x.relu_() : relu(x),
            Core.Graphs.ActivationFunction.Relu6 => relu6(x),
            Core.Graphs.ActivationFunction.Sigmoid => x.sigmoid(),
            Core.Graphs.ActivationFunction.HardSigmoid => hardsigmoid(x),
            Core.Graphs.ActivationFunction.HardSwish => hardswish(x),
            _ => x.tanh(),
        };

        /// <summary>
        /// Max unpooling as a scatter of the values to their flat per-plane indices (what <c>max_unpool2d</c> computes;
        /// TorchSharp 0.107 drops its <c>output_size</c> argument).
        /// </summary>
        private static Tensor Unpool(Tensor x, Tensor indices, Tensor reference)
        {
            long n = x.shape[0], c = x.shape[1], h = reference.shape[2], w = reference.shape[3];
            using Tensor flat = zeros([n, c, h * w], x.dtype, x.device);
            using Tensor index = indices.flatten(2);
            using Tensor values = x.flatten(2);
            using Tensor scattered = flat.scatter(2, index, values);
            return scattered.view(n, c, h, w);
        }

        private static Tensor Crop(Tensor x, Tensor reference, int offsetH, int offsetW)
        {
            long h = reference.shape[2], w = reference.shape[3];
            if (offsetH == 0 && offsetW == 0 && x.shape[2] == h && x.shape[3] == w)
            {
                return x.alias();
            }

            using Tensor view = x[.., .., offsetH..(int)(offsetH + h), offsetW..(int)(offsetW + w)];
            return view.contiguous();
        }

        private static Tensor Resize(ResizeNode r, Tensor x, Tensor? reference)
        {
            long h = reference?.shape[2] ?? x.shape[2] * r.Scale.H;
            long w = reference?.shape[3] ?? x.shape[3] * r.Scale.W;
            if (r.Mode == ResizeMode.Nearest)
            {
                // Nearest from 1×1 (image pooling broadcast) is a broadcast.
                return x.shape[2] == 1 && x.shape[3] == 1 ? x.expand(-1, -1, h, w) : interpolate(x, [h, w], mode: InterpolationMode.Nearest);
            }

            return interpolate(x, [h, w], mode: InterpolationMode.Bilinear, align_corners: r.AlignCorners);
        }
    }
}
