namespace Nas.Weights.Import;

/// <summary>
/// The allow-list of Python globals a weights file may name. Everything else — <c>os.system</c>,
/// <c>builtins.eval</c>, <c>subprocess.Popen</c>, a model class — is refused by <see cref="SafeUnpickler"/>.
/// Nothing here is ever executed: the callables are interpreted by the unpickler (an OrderedDict is built, a tensor
/// description recorded), the rest are tokens naming an element type.
/// </summary>
internal static class TorchGlobals
{
    public const string OrderedDict = "collections.OrderedDict";
    public const string RebuildTensor = "torch._utils._rebuild_tensor";
    public const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    public const string RebuildTensorV3 = "torch._utils._rebuild_tensor_v3";
    public const string RebuildParameter = "torch._utils._rebuild_parameter";
    public const string RebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";

    /// <summary>Globals that REDUCE may call (interpreted, never run).</summary>
    public static IReadOnlySet<string> Callables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        OrderedDict, RebuildTensor, RebuildTensorV2, RebuildTensorV3, RebuildParameter, RebuildParameterWithState,
    };

    /// <summary>Storage classes (first element of a storage persistent id) and the element type each holds.</summary>
    public static IReadOnlyDictionary<string, TorchDType> StorageTypes { get; } = BuildStorageTypes();

    /// <summary><c>torch.dtype</c> constants (the dtype argument of <c>_rebuild_tensor_v3</c>).</summary>
    public static IReadOnlyDictionary<string, TorchDType> DTypes { get; } = Enum.GetValues<TorchDType>()
        .ToDictionary(d => "torch." + d.TorchName(), d => d, StringComparer.Ordinal);

    public static bool IsAllowed(string fullName) =>
        Callables.Contains(fullName) || StorageTypes.ContainsKey(fullName) || DTypes.ContainsKey(fullName);

    private static Dictionary<string, TorchDType> BuildStorageTypes()
    {
        var typed = new Dictionary<string, TorchDType>(StringComparer.Ordinal)
        {
            ["FloatStorage"] = TorchDType.Float32,
            ["HalfStorage"] = TorchDType.Float16,
            ["BFloat16Storage"] = TorchDType.BFloat16,
            ["DoubleStorage"] = TorchDType.Float64,
            ["LongStorage"] = TorchDType.Int64,
            ["IntStorage"] = TorchDType.Int32,
            ["ShortStorage"] = TorchDType.Int16,
            ["CharStorage"] = TorchDType.Int8,
            ["ByteStorage"] = TorchDType.UInt8,
            ["BoolStorage"] = TorchDType.Bool,
        };

        var all = new Dictionary<string, TorchDType>(StringComparer.Ordinal);
        foreach ((string name, TorchDType dtype) in typed)
        {
            all["torch." + name] = dtype;
            all["torch.cuda." + name] = dtype; // GPU storages of old (pre-1.0) checkpoints
        }

        // Untyped (byte) storages: written for tensors rebuilt by _rebuild_tensor_v3, whose dtype is an argument.
        all["torch.storage.UntypedStorage"] = TorchDType.UInt8;
        all["torch.UntypedStorage"] = TorchDType.UInt8;
        return all;
    }
}
