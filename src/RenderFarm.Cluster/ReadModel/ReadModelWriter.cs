using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// Writes job projections into the read model, one node-local actor. Projections that arrive while a
/// write runs are merged (the last job row wins) and written together in one transaction, so a busy
/// batch costs few writes. A failed write is kept and tried again after a second; a projection lost with
/// the process is written again when the job's entity recovers (rows are upserts, history is keyed).
/// </summary>
/// <summary>A projection to write; once written, <paramref name="Reply"/> goes to <paramref name="ReplyTo"/> (read-your-writes for a submitter).</summary>
public sealed record ProjectJob(JobProjection Projection, IActorRef? ReplyTo = null, object? Reply = null);

public sealed class ReadModelWriter : ReceiveActor, IWithTimers
{
    private sealed record Written;
    private sealed record Failed(Exception Error);
    private sealed record TryAgain;

    private readonly IReadModel _store;
    private readonly ILogger _log;
    private List<ProjectJob> _buffer = [];
    private List<ProjectJob> _inFlight = [];
    private bool _writing;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadModel store, ILogger log) => Akka.Actor.Props.Create(() => new ReadModelWriter(store, log));

    public ReadModelWriter(IReadModel store, ILogger log)
    {
        _store = store;
        _log = log;
        Receive<ProjectJob>(p => { _buffer.Add(p); Write(); });
        Receive<Written>(_ =>
        {
            foreach (var done in _inFlight.Where(p => p.ReplyTo is not null)) done.ReplyTo!.Tell(done.Reply);
            _inFlight = [];
            _writing = false;
            Write();
        });
        Receive<Failed>(f =>
        {
            _buffer.InsertRange(0, _inFlight); // in front of what arrived meanwhile
            _inFlight = [];
            _log.LogWarning("read model write failed ({Error}); retrying in 1 s", f.Error.Message);
            Timers.StartSingleTimer("retry", new TryAgain(), TimeSpan.FromSeconds(1));
        });
        Receive<TryAgain>(_ => { _writing = false; Write(); });
    }

    private void Write()
    {
        if (_writing || _buffer.Count == 0) return;
        _inFlight = _buffer;
        _buffer = [];
        _writing = true;
        _store.ProjectAsync(Merge(_inFlight.Select(p => p.Projection)), CancellationToken.None).ContinueWith<object>(t => t.IsCompletedSuccessfully
            ? new Written()
            : new Failed(t.Exception?.GetBaseException() ?? new TaskCanceledException())).PipeTo(Self);
    }

    /// <summary>One projection per job: its last job row, the last row of each video and task, every history line once.</summary>
    private static List<JobProjection> Merge(IEnumerable<JobProjection> batch) => batch.GroupBy(p => p.Job.JobId).Select(g => new JobProjection(
        g.Last().Job,
        g.SelectMany(p => p.Videos).GroupBy(v => v.VideoId).Select(v => v.Last()).ToList(),
        g.SelectMany(p => p.Tasks).GroupBy(t => t.TaskId).Select(t => t.Last()).ToList(),
        g.SelectMany(p => p.History).DistinctBy(h => h.Id).ToList())).ToList();
}
