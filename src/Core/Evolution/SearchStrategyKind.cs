namespace Nas.Core.Evolution;

/// <summary>How a supernet-based search proposes the next networks to evaluate (the evaluator and constraints are shared).</summary>
public enum SearchStrategyKind
{
    /// <summary>Tournament selection, uniform crossover and mutation over the current population (<see cref="EvolutionStrategy"/>).</summary>
    Evolution,

    /// <summary>Fresh random feasible networks every generation (<see cref="RandomStrategy"/>): the baseline a search must beat.</summary>
    Random,
}
