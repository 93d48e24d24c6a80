namespace Nas.Data.Synthetic;

/// <summary>How demanding the synthetic rail scenes are (see <see cref="SyntheticRailGenerator"/>).</summary>
public enum SyntheticDifficulty
{
    /// <summary>The embedded scenes of the demo and the tests.</summary>
    Standard,

    /// <summary>
    /// Thinner rails, look-alike cars and rail vehicles told apart only by where they stand, steel guard rails beside
    /// the track, small distant people and signs, and haze towards the horizon: scenes on which the capacity and the
    /// receptive field of a network matter (the efficacy benchmark's option).
    /// </summary>
    Hard,
}
