// libtorch's global random generator is shared by every thread: test classes running in parallel would draw from it
// between another test's manual_seed and its use, and break the exact-resume and reproducibility checks.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
