namespace Nas.Training.Schedules;

/// <summary>Learning-rate schedule shapes (per iteration, as torchvision's reference trainer).</summary>
public enum LrScheduleKind
{
    /// <summary>lr · (1 - t/T)^power (DeepLab's poly, power 0.9).</summary>
    Poly,

    /// <summary>lr · ½(1 + cos(π t/T)), down to <c>MinLr</c>.</summary>
    Cosine,

    /// <summary>lr · gamma^(epoch / step) (step decay every <c>StepEpochs</c>).</summary>
    Step,

    /// <summary>Constant lr.</summary>
    Constant,
}
