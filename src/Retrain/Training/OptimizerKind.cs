namespace Nas.Retrain.Training;

/// <summary>Weight optimisers for retraining.</summary>
public enum OptimizerKind
{
    Sgd,
    Adam,
}
