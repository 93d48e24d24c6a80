using Nas.Core;
using Nas.Core.Graphs;
using Nas.Core.Tensors;
using Nas.Models;
using Nas.Models.Registry;
using Nas.TestSupport;
using Nas.Weights.Import;
using Nas.Weights.Tests.Import;

namespace Nas.Weights.Tests.Zoo;

/// <summary>
/// ESPNet weights in the official layout: the official files were saved by PyTorch 0.3/0.4.0, so their BatchNorm
/// layers have no <c>num_batches_tracked</c>; that counter alone may be missing (filled with 0, as PyTorch's strict
/// load does), anything else missing is an error.
/// </summary>
public class EspnetWeightsTests
{
    [Theory]
    [InlineData("espnet", "")]
    [InlineData("espnet-c", "")]
    [InlineData("espnet", "stage=encoder")]
    public void A_state_dict_in_the_official_layout_without_batch_counters_loads_strictly(string model, string options)
    {
        NetworkSpec spec = Spec(model, options);
        using var dir = new TempDirectory();
        string path = Write(dir, spec, _ => true);

        Dictionary<string, TensorData> tensors = OfficialWeights.Read(path, spec);

        Assert.Equal(spec.Graph.Parameters().Select(p => p.Name).Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
        NamedParameter counter = spec.Graph.Parameters().First(p => p.Spec.Role == ParameterRole.BatchCounter);
        Assert.Equal([0L], tensors[counter.Name].ToInt64Array());
        NamedParameter first = spec.Graph.Parameters()[0];
        Assert.Equal(Values(first), tensors[first.Name].ToFloatArray());
    }

    [Theory]
    [InlineData("level1.bn.running_var")]
    [InlineData("level3.7.d16.conv.weight")]
    [InlineData("b3.act.weight")]
    public void Any_other_missing_tensor_is_an_error_naming_it(string missing)
    {
        NetworkSpec spec = Spec("espnet-c", string.Empty);
        using var dir = new TempDirectory();
        string path = Write(dir, spec, name => name != missing);

        var e = Assert.Throws<NasException>(() => OfficialWeights.Read(path, spec));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("espnet", "espnet_p_2_q_8.pth")]
    [InlineData("espnet-c", "espnet_c_p_2_q_8.pth")]
    public void The_official_files_load_strictly(string model, string file)
    {
        string? path = SharedAssets.File("pretrained", "espnet", file);
        Skip.If(path is null, $"needs ../shared/pretrained/espnet/{file}");
        NetworkSpec spec = Spec(model, string.Empty);

        PyTorchStateDict raw = PyTorchCheckpoint.Load(path!);
        Dictionary<string, TensorData> tensors = OfficialWeights.Read(raw, spec);

        Assert.DoesNotContain(raw.Names, n => n.EndsWith("num_batches_tracked", StringComparison.Ordinal));
        Assert.Equal(EspnetOfficialClasses, OfficialWeights.ClassCount(raw, spec));
        Assert.Equal(spec.Graph.Parameters().Count, tensors.Count);
        Assert.Equal(ModelRegistry.TryGet(model)!.PublishedParameters,
            raw.Where(t => !t.Name.Contains("running_", StringComparison.Ordinal)).Sum(t => t.ToFloatArray().LongLength));
    }

    private const int EspnetOfficialClasses = 20;

    private static NetworkSpec Spec(string model, string options) =>
        ModelRegistry.Build(ModelRegistry.TryGet(model)!, EspnetOfficialClasses,
            options.Length == 0 ? null : new Dictionary<string, string> { [options.Split('=')[0]] = options.Split('=')[1] });

    /// <summary>Every tensor of <paramref name="spec"/> under its official name, except the batch counters and what <paramref name="keep"/> refuses.</summary>
    private static string Write(TempDirectory dir, NetworkSpec spec, Func<string, bool> keep)
    {
        var entries = new List<(string, object)>();
        int key = 0;
        foreach (NamedParameter p in spec.Graph.Parameters().Where(p => p.Spec.Role != ParameterRole.BatchCounter))
        {
            string name = p.ExternalName ?? p.Name;
            if (!keep(name))
            {
                continue;
            }

            long[] shape = [.. p.Spec.Shape.Select(d => (long)d)];
            long[] stride = new long[shape.Length];
            for (int i = shape.Length - 1, s = 1; i >= 0; s *= p.Spec.Shape[i], i--)
            {
                stride[i] = s;
            }

            entries.Add((name, TorchSaver.Tensor(TorchSaver.Storage.Floats((key++).ToString(System.Globalization.CultureInfo.InvariantCulture), Values(p)), 0, shape, stride)));
        }

        string path = dir.Combine("official.pth");
        File.WriteAllBytes(path, TorchSaver.Legacy(TorchSaver.StateDict(entries)));
        return path;
    }

    /// <summary>Deterministic positive values (running variances must be positive).</summary>
    private static float[] Values(NamedParameter p)
    {
        return [.. Enumerable.Range(0, (int)p.Spec.Elements).Select(i => 0.5f + ((i % 7) / 8f))];
    }
}
