using System.Text.Json.Serialization;
using Nas.Core.Graphs.Nodes;

namespace Nas.Core.Graphs;

/// <summary>
/// The torch-free description of a network: typed layer nodes in topological order, named inputs and outputs, and
/// named parts. It is the one source every backend derives from: TorchSharp modules, MAC/FLOP/parameter counts,
/// ONNX, lookup-table entries and state-dict names. A graph is validated when constructed (unique names, inputs
/// defined before use, arities, channel counts); spatial shapes are checked by <see cref="InferShapes(IReadOnlyList{ValueShape})"/>
/// for a concrete input size. Errors name the node and the shapes.
/// </summary>
[JsonConverter(typeof(LayerGraphJsonConverter))]
public sealed class LayerGraph
{
    private readonly Dictionary<string, int> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ElementType> _types = new(StringComparer.Ordinal);

    public LayerGraph(string name, IReadOnlyList<GraphInput> inputs, IReadOnlyList<Node> nodes, IReadOnlyList<GraphOutput> outputs, IReadOnlyList<GraphPart>? parts = null)
    {
        Name = name;
        Inputs = inputs.ToArray();
        Nodes = nodes.ToArray();
        Outputs = outputs.ToArray();
        Parts = (parts ?? []).ToArray();
        Validate();
    }

    public string Name { get; }

    public IReadOnlyList<GraphInput> Inputs { get; }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<GraphOutput> Outputs { get; }

    public IReadOnlyList<GraphPart> Parts { get; }

    public GraphOutput MainOutput => Outputs.First(o => o.Role == OutputRole.Main);

    public IEnumerable<ChoiceNode> Choices => Nodes.OfType<ChoiceNode>();

    public bool HasChoices => Nodes.Any(n => n is ChoiceNode);

    public int ChannelsOf(string value) =>
        _channels.TryGetValue(value, out int c) ? c : throw new KeyNotFoundException($"graph '{Name}' has no value '{value}'");

    public bool HasValue(string value) => _channels.ContainsKey(value);

    public ElementType TypeOf(string value) =>
        _types.TryGetValue(value, out ElementType t) ? t : throw new KeyNotFoundException($"graph '{Name}' has no value '{value}'");

    /// <summary>The node that produces a value, or null for a graph input.</summary>
    public Node? ProducerOf(string value) => _producers.GetValueOrDefault(value);

    public Node Node(string name) => Nodes.FirstOrDefault(n => n.Name == name) ?? throw new KeyNotFoundException($"graph '{Name}' has no node '{name}'");

    public GraphPart? PartOf(string nodeName) => Parts.FirstOrDefault(p => p.Contains(nodeName));

    /// <summary>Shapes for one image input of <paramref name="height"/>×<paramref name="width"/> (the graph's single input).</summary>
    public GraphShapes InferShapes(int height, int width)
    {
        if (Inputs.Count != 1)
        {
            throw new NasException($"graph '{Name}' has {Inputs.Count} inputs; give a shape for each");
        }

        if (height < 1 || width < 1)
        {
            throw new NasException($"graph '{Name}': input size {height}x{width} must be positive");
        }

        return InferShapes([new ValueShape(Inputs[0].Channels, height, width, Inputs[0].Type)]);
    }

    /// <summary>Shapes of every value for the given input shapes (in <see cref="Inputs"/> order); errors name the node.</summary>
    public GraphShapes InferShapes(IReadOnlyList<ValueShape> inputShapes)
    {
        if (inputShapes.Count != Inputs.Count)
        {
            throw new NasException($"graph '{Name}' has {Inputs.Count} inputs, got {inputShapes.Count} shapes");
        }

        var shapes = new Dictionary<string, ValueShape>(StringComparer.Ordinal);
        for (int i = 0; i < Inputs.Count; i++)
        {
            if (inputShapes[i].Channels != Inputs[i].Channels)
            {
                throw new NasException($"graph '{Name}': input '{Inputs[i].Name}' has {Inputs[i].Channels} channels, got a shape {inputShapes[i]}");
            }

            shapes[Inputs[i].Name] = inputShapes[i];
        }

        foreach (Node node in Nodes)
        {
            ValueShape[] inputs = node.Inputs.Select(v => shapes[v]).ToArray();
            ValueShape[] outputs;
            try
            {
                outputs = node.InferShapes(inputs);
            }
            catch (OverflowException)
            {
                throw node.Error($"the shapes overflow for inputs {string.Join(", ", inputs)}");
            }

            for (int i = 0; i < outputs.Length; i++)
            {
                shapes[node.Output(i)] = outputs[i];
            }
        }

        return new GraphShapes(this, shapes);
    }

    /// <summary>
    /// Every tensor under its full state-dict name: node tensors as <c>{node}.{tensor}</c>; a choice's candidates as
    /// <c>{choice}.candidates.{k}.{inner}</c> after its <c>arch_logits</c>.
    /// </summary>
    public IReadOnlyList<NamedParameter> Parameters()
    {
        var result = new List<NamedParameter>();
        foreach (Node node in Nodes)
        {
            foreach (ParameterSpec p in node.Parameters)
            {
                result.Add(new NamedParameter($"{node.Name}.{p.Name}", p, node, node.ExternalName is string e ? $"{e}.{p.Name}" : null));
            }

            if (node is ChoiceNode choice)
            {
                for (int k = 0; k < choice.Candidates.Count; k++)
                {
                    foreach (NamedParameter inner in choice.Candidates[k].Parameters())
                    {
                        result.Add(inner with { Name = $"{choice.Name}.candidates.{k}.{inner.Name}", ExternalName = null });
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Number of trainable parameter elements (PyTorch's <c>sum(p.numel() for p in parameters())</c>), architecture logits excluded.</summary>
    public long ParameterCount() =>
        Parameters().Where(p => p.Spec.IsTrainable && p.Spec.Role != ParameterRole.ArchLogits).Sum(p => p.Spec.Elements);

    /// <summary>
    /// The network of one candidate per choice: each choice is replaced by its selected candidate's nodes (renamed into
    /// the choice's <see cref="ChoiceNode.InlineScope"/>) and becomes a part labelled with the candidate's name.
    /// <paramref name="parameterSources"/>, when given, receives derived tensor name → supernet tensor name.
    /// </summary>
    public LayerGraph Derive(Func<ChoiceNode, int> select, IDictionary<string, string>? parameterSources = null, string? name = null)
    {
        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        string Map(string value) => rename.GetValueOrDefault(value, value);
        var nodes = new List<Node>();
        var parts = new List<GraphPart>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (Node node in Nodes)
        {
            if (node is not ChoiceNode choice)
            {
                nodes.Add(node.Rebind(node.Name, node.Inputs.Select(Map).ToArray(), node.ExternalName));
                if (PartOf(node.Name) is GraphPart part && placed.Add(part.Name))
                {
                    parts.Add(part with { Inputs = part.Inputs.Select(Map).ToArray() });
                }

                continue;
            }

            int k = select(choice);
            if (k < 0 || k >= choice.Candidates.Count)
            {
                throw choice.Error($"candidate index {k} is outside [0, {choice.Candidates.Count - 1}]");
            }

            LayerGraph candidate = choice.Candidates[k];
            var inner = new Dictionary<string, string>(StringComparer.Ordinal) { [candidate.Inputs[0].Name] = Map(choice.Inputs[0]) };
            foreach (Node n in candidate.Nodes)
            {
                string newName = $"{choice.InlineScope}.{n.Name}";
                string? external = choice.ExternalScope is string scope ? $"{scope}.{n.ExternalName ?? n.Name}" : null;
                Node inlined = n.Rebind(newName, n.Inputs.Select(v => inner[v]).ToArray(), external);
                nodes.Add(inlined);
                for (int i = 0; i < n.OutputCount; i++)
                {
                    inner[n.Output(i)] = inlined.Output(i);
                }

                if (parameterSources is not null)
                {
                    foreach (ParameterSpec p in n.Parameters)
                    {
                        parameterSources[$"{newName}.{p.Name}"] = $"{choice.Name}.candidates.{k}.{n.Name}.{p.Name}";
                    }
                }
            }

            string output = inner[candidate.Outputs[0].Value];
            rename[choice.Name] = output;
            placed.Add(choice.Name);
            parts.Add(new GraphPart(choice.Name, candidate.Name, choice.Stride, [Map(choice.Inputs[0])], [output], choice.Position));
        }

        if (parameterSources is not null)
        {
            foreach (Node node in Nodes.Where(n => n is not ChoiceNode))
            {
                foreach (ParameterSpec p in node.Parameters)
                {
                    parameterSources[$"{node.Name}.{p.Name}"] = $"{node.Name}.{p.Name}";
                }
            }
        }

        parts.AddRange(Parts.Where(p => !placed.Contains(p.Name)));
        return new LayerGraph(name ?? Name, Inputs, nodes, Outputs.Select(o => o with { Value = Map(o.Value) }).ToArray(),
            parts.Select(p => p with { Outputs = p.Outputs.Select(Map).ToArray() }).ToArray());
    }

    /// <summary>
    /// The sub-graph of one part: its nodes with their names kept (so tensor names match the whole graph), the part's
    /// boundary values as inputs (renamed to <paramref name="inputNames"/> when given) and outputs (named
    /// <c>output</c>, <c>output1</c>, ...). An empty part is the identity.
    /// </summary>
    public LayerGraph Extract(GraphPart part, IReadOnlyList<string>? inputNames = null)
    {
        if (inputNames is not null && inputNames.Count != part.Inputs.Count)
        {
            throw new ArgumentException($"part '{part.Name}' has {part.Inputs.Count} inputs, got {inputNames.Count} names", nameof(inputNames));
        }

        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        var inputs = new List<GraphInput>();
        for (int i = 0; i < part.Inputs.Count; i++)
        {
            string value = part.Inputs[i];
            string newName = inputNames?[i] ?? value;
            rename[value] = newName;
            inputs.Add(new GraphInput(newName, ChannelsOf(value), TypeOf(value)));
        }

        string Map(string v) => rename.GetValueOrDefault(v, v);
        var nodes = Nodes.Where(n => part.Contains(n.Name)).Select(n => n.Rebind(n.Name, n.Inputs.Select(Map).ToArray(), n.ExternalName)).ToArray();
        var outputs = part.Outputs.Select((v, i) => new GraphOutput(i == 0 ? "output" : $"output{i}", Map(v))).ToArray();
        return new LayerGraph(part.Name, inputs, nodes, outputs);
    }

    /// <summary>The inference graph: auxiliary outputs removed and nodes that no remaining output needs dropped.</summary>
    public LayerGraph ForInference()
    {
        GraphOutput[] outputs = Outputs.Where(o => o.Role == OutputRole.Main).ToArray();
        if (outputs.Length == Outputs.Count)
        {
            return this;
        }

        var live = new HashSet<string>(outputs.Select(o => o.Value), StringComparer.Ordinal);
        var kept = new List<Node>();
        for (int i = Nodes.Count - 1; i >= 0; i--)
        {
            Node n = Nodes[i];
            if (Enumerable.Range(0, n.OutputCount).Any(k => live.Contains(n.Output(k))))
            {
                kept.Add(n);
                live.UnionWith(n.Inputs);
            }
        }

        kept.Reverse();
        var keptNames = kept.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        GraphPart[] parts = Parts.Where(p => p.Outputs.All(v => live.Contains(v) || keptNames.Contains(v))).ToArray();
        return new LayerGraph(Name, Inputs, kept, outputs, parts);
    }

    public override string ToString() => Name;

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new NasException("a layer graph needs a name");
        }

        if (Inputs.Count == 0)
        {
            throw new NasException($"graph '{Name}' has no inputs");
        }

        foreach (GraphInput input in Inputs)
        {
            if (input.Channels < 1 || !_channels.TryAdd(input.Name, input.Channels))
            {
                throw new NasException($"graph '{Name}': input '{input.Name}' is duplicated or has {input.Channels} channels");
            }

            _types[input.Name] = input.Type;
        }

        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (Node node in Nodes)
        {
            if (string.IsNullOrWhiteSpace(node.Name) || !nodeNames.Add(node.Name))
            {
                throw new NasException($"graph '{Name}': node name '{node.Name}' is empty or used twice");
            }

            int arity = node.InputArity;
            if ((arity >= 0 && node.Inputs.Count != arity) || (arity < 0 && node.Inputs.Count < 2))
            {
                throw node.Error($"takes {(arity < 0 ? "two or more" : arity.ToString(System.Globalization.CultureInfo.InvariantCulture))} inputs, got {node.Inputs.Count}");
            }

            var inputChannels = new int[node.Inputs.Count];
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                if (!_channels.TryGetValue(node.Inputs[i], out inputChannels[i]))
                {
                    throw node.Error($"input '{node.Inputs[i]}' is not defined before it");
                }
            }

            int[] outputChannels = node.OutputChannels(inputChannels);
            for (int i = 0; i < node.OutputCount; i++)
            {
                if (!_channels.TryAdd(node.Output(i), outputChannels[i]))
                {
                    throw node.Error($"output '{node.Output(i)}' clashes with another value");
                }

                _producers[node.Output(i)] = node;
                _types[node.Output(i)] = node.OutputType(i);
            }
        }

        if (Outputs.Count == 0 || Outputs.All(o => o.Role != OutputRole.Main))
        {
            throw new NasException($"graph '{Name}' needs a main output");
        }

        foreach (GraphOutput output in Outputs)
        {
            if (!_channels.ContainsKey(output.Value))
            {
                throw new NasException($"graph '{Name}': output '{output.Name}' refers to unknown value '{output.Value}'");
            }
        }

        var partNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (GraphPart part in Parts)
        {
            if (!partNames.Add(part.Name))
            {
                throw new NasException($"graph '{Name}': part '{part.Name}' is listed twice");
            }

            foreach (string v in part.Inputs.Concat(part.Outputs))
            {
                if (!_channels.ContainsKey(v))
                {
                    throw new NasException($"graph '{Name}': part '{part.Name}' refers to unknown value '{v}'");
                }
            }
        }
    }
}
