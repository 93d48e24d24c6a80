namespace Nas.Core.Graphs.Blocks;

/// <summary>Writes an inverted-residual block (<see cref="InvertedResidualSpec"/>) into a graph.</summary>
public static class InvertedResidual
{
    public static string Build(GraphBuilder b, string x, InvertedResidualSpec spec, InvertedResidualNames names)
    {
        string y = x;
        if (spec.HasExpansion)
        {
            y = ConvBnAct.Build(b, y, names.Expand, spec.Hidden, 1, groups: spec.Groups, act: spec.Activation, bnEps: spec.BnEps, bnMomentum: spec.BnMomentum);
        }

        y = ConvBnAct.Build(b, y, names.Depthwise, spec.Hidden, spec.Kernel, spec.Stride, ConvBnAct.SamePadding(spec.Kernel, spec.Dilation), spec.Dilation,
            groups: spec.Hidden, act: spec.Activation, bnEps: spec.BnEps, bnMomentum: spec.BnMomentum);
        if (spec.SeChannels > 0)
        {
            y = SqueezeExcite.Build(b, y, names.SeScope, spec.SeChannels);
        }

        y = ConvBnAct.Build(b, y, names.Project, spec.OutChannels, 1, groups: spec.Groups, act: null, bnEps: spec.BnEps, bnMomentum: spec.BnMomentum);
        return spec.IsResidual ? b.Add(names.Residual, y, x) : y;
    }
}
