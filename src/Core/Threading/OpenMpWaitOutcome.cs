namespace Nas.Core.Threading;

/// <summary>What <see cref="OpenMpWaitPolicy.UsePassiveWaiting"/> did.</summary>
public enum OpenMpWaitOutcome
{
    /// <summary>OMP_WAIT_POLICY=PASSIVE is set: libgomp, once loaded, puts idle worker threads to sleep at once.</summary>
    Passive,

    /// <summary>The user set OMP_WAIT_POLICY or GOMP_SPINCOUNT: their choice is kept.</summary>
    UserSetting,

    /// <summary>libgomp was loaded already and has read its settings: nothing changed.</summary>
    AlreadyLoaded,
}
