using static TorchSharp.torch;

namespace Nas.Training.State;

/// <summary>Saves and restores a libtorch generator's state so a resumed run draws the same random numbers.</summary>
public static class RandomState
{
    public static byte[] Save(Generator generator)
    {
        using Tensor state = generator.get_state();
        return state.bytes.ToArray();
    }

    public static void Restore(Generator generator, byte[] bytes)
    {
        using Tensor state = tensor(bytes, ScalarType.Byte);
        generator.set_state(state);
    }
}
