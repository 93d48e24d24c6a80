// Supernet construction draws its initial weights from libtorch's global generator, which every test of this
// assembly seeds; tests running in parallel would interleave their draws, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
