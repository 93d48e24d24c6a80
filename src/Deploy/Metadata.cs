using Nas.Onnx.Protos;

namespace Nas.Deploy;

/// <summary>Sets a model's metadata_props entry (replacing one with the same key).</summary>
public static class Metadata
{
    public static void Set(ModelProto model, string key, string value)
    {
        StringStringEntryProto? existing = model.MetadataProps.FirstOrDefault(p => p.Key == key);
        if (existing is not null)
        {
            existing.Value = value;
        }
        else
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
    }

    public static string? Get(ModelProto model, string key) => model.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value;
}
