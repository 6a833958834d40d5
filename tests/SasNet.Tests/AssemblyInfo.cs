// libtorch's thread count and generator are process-wide, and TorchSharp lets the finalizer free a temporary scalar
// while libtorch reads it when another thread triggers a collection (see SasNet.Training.TrainingStepScope): the tests
// of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
