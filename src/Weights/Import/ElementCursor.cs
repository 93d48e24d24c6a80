namespace Nas.Weights.Import;

/// <summary>Steps through the storage indices of a strided view in row-major order (an odometer over the dimensions).</summary>
internal struct ElementCursor
{
    private readonly long[] _shape;
    private readonly long[] _strides;
    private readonly long[] _index;

    public ElementCursor(long[] shape, long[] strides, long offset)
    {
        _shape = shape;
        _strides = strides;
        _index = new long[shape.Length];
        Element = offset;
    }

    /// <summary>Storage index of the current element.</summary>
    public long Element { get; private set; }

    public void Advance()
    {
        for (int d = _index.Length - 1; d >= 0; d--)
        {
            if (++_index[d] < _shape[d])
            {
                Element += _strides[d];
                return;
            }

            Element -= (_shape[d] - 1) * _strides[d];
            _index[d] = 0;
        }
    }
}
