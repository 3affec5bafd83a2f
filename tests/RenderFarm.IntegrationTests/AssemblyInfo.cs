using Xunit;

// Farm tests start servers and node processes and render video: one at a time on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
