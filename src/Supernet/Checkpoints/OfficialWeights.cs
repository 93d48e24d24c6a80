using Nas.Core;
using Nas.Supernet.Import;
using Nas.Supernet.Networks;
using static TorchSharp.torch;

namespace Nas.Supernet.Checkpoints;

/// <summary>
/// Loads an official SqueezeNAS <c>.pth</c> state dict into our network: keys renamed by
/// <see cref="OfficialKeyMapping"/>, then copied strictly (every missing, unexpected or mis-shaped key is listed).
/// With <c>skipClassifiers</c> (a different class count) the class-score layers keep their fresh initialisation.
/// </summary>
public static class OfficialWeights
{
    public static StateDictLoadReport Load(string pthPath, SqueezeNasNetwork network, bool skipClassifiers = false)
    {
        PyTorchStateDict raw = PyTorchCheckpoint.Load(pthPath);
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var unknown = new List<string>();
        try
        {
            foreach (RawTensor t in raw)
            {
                string? key = OfficialKeyMapping.Map(t.Name, network.Space, network.Genotype.Genotype.Ops);
                if (key is null)
                {
                    unknown.Add(t.Name);
                    continue;
                }

                mapped[key] = ToTensor(t);
            }

            if (unknown.Count > 0)
            {
                throw new NasException(
                    $"{pthPath}: {unknown.Count} tensors have no counterpart in '{network.Genotype.Name}' ({string.Join(", ", unknown.Take(8))}{(unknown.Count > 8 ? ", ..." : string.Empty)}); is it the weights of another network?");
            }

            return StateDictLoader.Load(network, mapped, pthPath, strict: true, skipClassifiers ? network.ClassifierPrefixes : null);
        }
        finally
        {
            foreach (Tensor t in mapped.Values)
            {
                t.Dispose();
            }
        }
    }

    public static Tensor ToTensor(RawTensor raw) =>
        raw.IsFloatingPoint ? tensor(raw.ToFloatArray(), raw.ShapeArray()) : tensor(raw.ToInt64Array(), raw.ShapeArray());
}
