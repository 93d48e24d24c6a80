using Google.Protobuf;
using Nas.Core;
using Nas.Core.IO;
using Nas.Onnx.Protos;

namespace Nas.Onnx.Graphs;

/// <summary>Reads and writes <c>.onnx</c> files (atomic writes).</summary>
public static class OnnxModelFile
{
    public static void Save(ModelProto model, string path) => AtomicFile.WriteAllBytes(path, model.ToByteArray());

    public static ModelProto Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new NasException($"ONNX file not found: '{path}'");
        }

        try
        {
            return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new NasException($"{path}: not a valid ONNX model ({e.Message})", e);
        }
    }

    public static IReadOnlyDictionary<string, string> Metadata(ModelProto model) =>
        model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
