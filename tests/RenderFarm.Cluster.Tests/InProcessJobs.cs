using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.ReadModel;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests;

/// <summary>
/// The job entities of one node, in process and without actors: every command is decided by
/// <see cref="Rules"/>, its events are applied to the job's state (as the entity's journal would replay
/// them), and the changed rows are projected into the read model (as the entity's ReadModelWriter would),
/// so queries see what they would see on a node. Records every <see cref="SubmitJob"/> it is given.
/// Time stands still unless <see cref="Advance"/> moves it.
/// </summary>
internal sealed class InProcessJobs(IReadModel? readModel = null, LifecycleOptions? options = null) : IJobGateway
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, JobState> _jobs = [];
    private readonly Dictionary<string, int> _projectedHistory = [];
    private readonly List<SubmitJob> _submitted = [];

    public Rules Lifecycle { get; } = new(options ?? new LifecycleOptions());
    public DateTimeOffset Now { get; private set; } = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>When set, a submission throws this before anything is decided (the gateway could not reach the entity).</summary>
    public Exception? Unreachable { get; set; }

    public IReadOnlyList<SubmitJob> Submitted { get { lock (_submitted) return [.. _submitted]; } }

    public void Advance(TimeSpan time) => Now += time;

    public JobState State(string jobId)
    {
        lock (_jobs) return _jobs.TryGetValue(jobId, out var state) ? state : JobState.Empty(jobId);
    }

    public async Task<SubmitReply> SubmitAsync(SubmitJob job, CancellationToken ct)
    {
        lock (_submitted) _submitted.Add(job);
        if (Unreachable is { } error) throw error;
        return (SubmitReply)(await DoAsync(job, ct)).Reply!;
    }

    /// <summary>One step of the job's entity: decide, apply, project.</summary>
    public async Task<Decision> DoAsync(IJobCommand command, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var before = State(command.JobId);
            var decision = Lifecycle.Decide(before, command, Now);
            var after = decision.Events.Aggregate(before, Rules.Apply);
            lock (_jobs) _jobs[command.JobId] = after;
            if (readModel is not null && after.Exists && decision.Events.Count > 0)
            {
                var from = _projectedHistory.GetValueOrDefault(command.JobId);
                await readModel.ProjectAsync([ProjectionRows.Of(after, null, null, from)], ct);
                _projectedHistory[command.JobId] = after.History.Count;
            }
            return decision;
        }
        finally
        {
            _gate.Release();
        }
    }
}
