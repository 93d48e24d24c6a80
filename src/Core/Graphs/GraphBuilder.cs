using Nas.Core.Graphs.Nodes;

namespace Nas.Core.Graphs;

/// <summary>
/// Writes a <see cref="LayerGraph"/> layer by layer. Each method validates the new node at once (inputs defined,
/// arity, channels; errors name the node) and returns the name of its output value. Names given inside
/// <see cref="Scope"/> are prefixed with the scope (<c>head</c> + <c>branch.conv</c> = <c>head.branch.conv</c>);
/// external names are always absolute. Parts declared with <see cref="Part"/> get their boundary values computed
/// when the graph is built.
/// </summary>
public sealed class GraphBuilder(string name)
{
    private readonly List<GraphInput> _inputs = [];
    private readonly List<Node> _nodes = [];
    private readonly List<GraphOutput> _outputs = [];
    private readonly List<(string Name, string Label, int Stride, int? Position, IReadOnlyList<string>? Inputs, IReadOnlyList<string>? Outputs, IReadOnlyList<string>? Members)> _parts = [];
    private readonly Dictionary<string, int> _channels = new(StringComparer.Ordinal);
    private readonly Stack<string> _scopes = new();

    public string Name { get; } = name;

    public IReadOnlyList<Node> Nodes => _nodes;

    public string Input(string name, int channels, ElementType type = ElementType.Float32)
    {
        if (channels < 1 || !_channels.TryAdd(name, channels))
        {
            throw new NasException($"graph '{Name}': input '{name}' is duplicated or has {channels} channels");
        }

        _inputs.Add(new GraphInput(name, channels, type));
        return name;
    }

    public int Channels(string value) =>
        _channels.TryGetValue(value, out int c) ? c : throw new NasException($"graph '{Name}': value '{value}' is not defined");

    /// <summary>Prefixes the names of the nodes (and parts) added until the returned scope is disposed.</summary>
    public IDisposable Scope(string prefix)
    {
        _scopes.Push(prefix);
        return new PopScope(_scopes);
    }

    /// <summary>The full name of <paramref name="local"/> in the current scope.</summary>
    public string Qualify(string local) => _scopes.Count == 0 ? local : string.Join('.', _scopes.Reverse()) + "." + local;

    /// <summary>Adds a node built elsewhere (its name is qualified by the current scope).</summary>
    public T Add<T>(T node)
        where T : Node
    {
        T named = node with { Name = Qualify(node.Name) };
        int arity = named.InputArity;
        if ((arity >= 0 && named.Inputs.Count != arity) || (arity < 0 && named.Inputs.Count < 2))
        {
            throw named.Error($"takes {(arity < 0 ? "two or more" : arity.ToString(System.Globalization.CultureInfo.InvariantCulture))} inputs, got {named.Inputs.Count}");
        }

        int[] inputChannels = named.Inputs.Select(v => _channels.TryGetValue(v, out int c) ? c : throw named.Error($"input '{v}' is not defined before it")).ToArray();
        int[] outputs = named.OutputChannels(inputChannels);
        for (int i = 0; i < named.OutputCount; i++)
        {
            if (!_channels.TryAdd(named.Output(i), outputs[i]))
            {
                throw named.Error($"the name '{named.Output(i)}' is already used");
            }
        }

        _nodes.Add(named);
        return named;
    }

    public string Conv(string name, string x, int outChannels, Pair kernel, Pair? stride = null, Pair? padding = null, Pair? dilation = null, int groups = 1, bool bias = false, string? external = null) =>
        Add(new ConvNode
        {
            Name = name,
            Inputs = [x],
            ExternalName = external,
            InChannels = Channels(x),
            OutChannels = outChannels,
            Kernel = kernel,
            Stride = stride ?? 1,
            Padding = padding ?? 0,
            Dilation = dilation ?? 1,
            Groups = groups,
            Bias = bias,
        }).Name;

    public string ConvTranspose(string name, string x, int outChannels, Pair kernel, Pair? stride = null, Pair? padding = null, Pair? outputPadding = null, int groups = 1, bool bias = false, string? external = null) =>
        Add(new ConvTransposeNode
        {
            Name = name,
            Inputs = [x],
            ExternalName = external,
            InChannels = Channels(x),
            OutChannels = outChannels,
            Kernel = kernel,
            Stride = stride ?? 1,
            Padding = padding ?? 0,
            OutputPadding = outputPadding ?? 0,
            Groups = groups,
            Bias = bias,
        }).Name;

    public string BatchNorm(string name, string x, double eps = 1e-5, double momentum = 0.1, string? external = null) =>
        Add(new BatchNormNode { Name = name, Inputs = [x], ExternalName = external, Channels = Channels(x), Eps = eps, Momentum = momentum }).Name;

    public string Activation(string name, string x, ActivationFunction function) =>
        Add(new ActivationNode { Name = name, Inputs = [x], Function = function }).Name;

    public string Relu(string name, string x) => Activation(name, x, ActivationFunction.Relu);

    public string PRelu(string name, string x, int slopes, string? external = null) =>
        Add(new PReluNode { Name = name, Inputs = [x], ExternalName = external, Slopes = slopes }).Name;

    public string Add(string name, string a, string b) => Add(new AddNode { Name = name, Inputs = [a, b] }).Name;

    public string Mul(string name, string a, string b) => Add(new MulNode { Name = name, Inputs = [a, b] }).Name;

    public string Concat(string name, params string[] inputs) => Add(new ConcatNode { Name = name, Inputs = inputs }).Name;

    public string Slice(string name, string x, int startH, int startW, int? endH = null, int? endW = null) =>
        Add(new SliceNode { Name = name, Inputs = [x], StartH = startH, StartW = startW, EndH = endH, EndW = endW }).Name;

    public string CropLike(string name, string x, string reference, int offsetH = 0, int offsetW = 0) =>
        Add(new CropLikeNode { Name = name, Inputs = [x, reference], OffsetH = offsetH, OffsetW = offsetW }).Name;

    public string Pad(string name, string x, int top = 0, int bottom = 0, int left = 0, int right = 0, int channelsAfter = 0) =>
        Add(new PadNode { Name = name, Inputs = [x], Top = top, Bottom = bottom, Left = left, Right = right, ChannelsAfter = channelsAfter }).Name;

    public string PadToMultiple(string name, string x, int multiple) =>
        Add(new PadToMultipleNode { Name = name, Inputs = [x], Multiple = multiple }).Name;

    public string AvgPool(string name, string x, Pair kernel, Pair stride, Pair? padding = null, bool ceilMode = false, bool countIncludePad = true, bool clampWindow = false) =>
        Add(new AvgPoolNode { Name = name, Inputs = [x], Kernel = kernel, Stride = stride, Padding = padding ?? 0, CeilMode = ceilMode, CountIncludePad = countIncludePad, ClampWindow = clampWindow }).Name;

    public string MaxPool(string name, string x, Pair kernel, Pair stride, Pair? padding = null, bool ceilMode = false) =>
        Add(new MaxPoolNode { Name = name, Inputs = [x], Kernel = kernel, Stride = stride, Padding = padding ?? 0, CeilMode = ceilMode }).Name;

    /// <summary>Max pooling that also returns the indices of the maxima (for <see cref="MaxUnpool"/>).</summary>
    public (string Values, string Indices) MaxPoolWithIndices(string name, string x, Pair kernel, Pair stride, Pair? padding = null, bool ceilMode = false)
    {
        MaxPoolNode node = Add(new MaxPoolNode { Name = name, Inputs = [x], Kernel = kernel, Stride = stride, Padding = padding ?? 0, CeilMode = ceilMode, ReturnIndices = true });
        return (node.Output(0), node.Output(1));
    }

    /// <summary>Max unpooling with the pooling's window; the output takes the spatial size of <paramref name="sizeReference"/>.</summary>
    public string MaxUnpool(string name, string x, string indices, string sizeReference, Pair kernel, Pair stride, Pair? padding = null) =>
        Add(new MaxUnpoolNode { Name = name, Inputs = [x, indices, sizeReference], Kernel = kernel, Stride = stride, Padding = padding ?? 0 }).Name;

    public string GlobalAvgPool(string name, string x) => Add(new GlobalAvgPoolNode { Name = name, Inputs = [x] }).Name;

    public string Resize(string name, string x, ResizeMode mode, Pair scale, bool alignCorners = false) =>
        Add(new ResizeNode { Name = name, Inputs = [x], Mode = mode, Scale = scale, AlignCorners = alignCorners }).Name;

    /// <summary>Resize to the spatial size of <paramref name="reference"/>.</summary>
    public string ResizeLike(string name, string x, string reference, ResizeMode mode, bool alignCorners = false) =>
        Add(new ResizeNode { Name = name, Inputs = [x, reference], Mode = mode, AlignCorners = alignCorners }).Name;

    public string Dropout(string name, string x, double p, bool channelwise = false) =>
        Add(new DropoutNode { Name = name, Inputs = [x], P = p, Channelwise = channelwise }).Name;

    public string LocalResponseNorm(string name, string x, int size, double alpha = 1e-4, double beta = 0.75, double k = 1.0) =>
        Add(new LocalResponseNormNode { Name = name, Inputs = [x], Size = size, Alpha = alpha, Beta = beta, K = k }).Name;

    public string Choice(string name, string x, IReadOnlyList<LayerGraph> candidates, string inlineScope, string? externalScope = null, int stride = 1, int? position = null) =>
        Add(new ChoiceNode { Name = name, Inputs = [x], Candidates = candidates, InlineScope = Qualify(inlineScope), ExternalScope = externalScope, Stride = stride, Position = position }).Name;

    public void Output(string name, string value, OutputRole role = OutputRole.Main, double lossWeight = 1.0)
    {
        Channels(value);
        _outputs.Add(new GraphOutput(name, value, role, lossWeight));
    }

    /// <summary>
    /// Declares a part: the nodes named <paramref name="name"/> or under it. Its boundary values are computed at
    /// <see cref="Build"/> unless given (an empty part, such as an identity block, needs them given).
    /// </summary>
    public void Part(string name, string label, int stride = 1, int? position = null, IReadOnlyList<string>? inputs = null, IReadOnlyList<string>? outputs = null) =>
        _parts.Add((Qualify(name), label, stride, position, inputs, outputs, null));

    /// <summary>
    /// Declares a part made of exactly the nodes added until the returned object is disposed, whatever their names
    /// (<see cref="GraphPart.Members"/>): the stages of networks whose node names carry no hierarchy, such as
    /// sanitised Caffe layer names. The part's name is not a node prefix and is not qualified by the scope.
    /// </summary>
    public IDisposable Group(string name, string label, int stride = 1)
    {
        int first = _nodes.Count;
        return new EndGroup(() =>
        {
            string[] members = _nodes.Skip(first).Select(n => n.Name).ToArray();
            if (members.Length == 0)
            {
                throw new NasException($"graph '{Name}': group '{name}' has no nodes");
            }

            _parts.Add((name, label, stride, null, null, null, members));
        });
    }

    public LayerGraph Build()
    {
        var parts = new List<GraphPart>();
        foreach ((string name, string label, int stride, int? position, IReadOnlyList<string>? inputs, IReadOnlyList<string>? outputs, IReadOnlyList<string>? listed) in _parts)
        {
            var probe = new GraphPart(name, label, stride, [], [], position, listed);
            List<Node> members = _nodes.Where(n => probe.Contains(n.Name)).ToList();
            if (members.Count == 0 && (inputs is null || outputs is null))
            {
                throw new NasException($"graph '{Name}': part '{name}' has no nodes; give its inputs and outputs");
            }

            var produced = members.SelectMany(n => Enumerable.Range(0, n.OutputCount).Select(n.Output)).ToHashSet(StringComparer.Ordinal);
            IReadOnlyList<string> ins = inputs ?? members.SelectMany(n => n.Inputs).Where(v => !produced.Contains(v)).Distinct().ToArray();
            var readOutside = _nodes.Where(n => !probe.Contains(n.Name)).SelectMany(n => n.Inputs).Concat(_outputs.Select(o => o.Value)).ToHashSet(StringComparer.Ordinal);
            IReadOnlyList<string> outs = outputs ?? members.SelectMany(n => Enumerable.Range(0, n.OutputCount).Select(n.Output)).Where(readOutside.Contains).ToArray();
            parts.Add(probe with { Inputs = ins, Outputs = outs });
        }

        return new LayerGraph(Name, _inputs, _nodes, _outputs, parts);
    }

    private sealed class EndGroup(Action end) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                end();
            }
        }
    }

    private sealed class PopScope(Stack<string> scopes) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                scopes.Pop();
                _disposed = true;
            }
        }
    }
}
