namespace Nas.Deploy;

/// <summary>The numeric precision a model is deployed (and timed) at.</summary>
public enum Precision
{
    Fp32,
    Fp16,
    Int8,
}
