namespace Nas.Onnx.Runtime;

/// <summary>ONNX Runtime execution providers Nas can select (CUDA/TensorRT need a GPU build of ONNX Runtime).</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
    TensorRt,
}
