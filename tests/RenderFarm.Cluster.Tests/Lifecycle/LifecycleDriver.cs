using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using Rules = RenderFarm.Cluster.Lifecycle.JobLifecycle;

namespace RenderFarm.Cluster.Tests.Lifecycle;

/// <summary>A node of the test farm: what a claim carries, and what a lost-node tick looks for.</summary>
internal sealed record TestNode(string Id, string Uid, string Address)
{
    public static readonly TestNode A = new("node-a", "uid-a", "akka.tcp://farm@10.0.0.1:4053");
    public static readonly TestNode B = new("node-b", "uid-b", "akka.tcp://farm@10.0.0.2:4053");
}

/// <summary>
/// Drives one job the way its entity does: decide on a command, apply the decided events (follow-on ones
/// included) to the state, keep them in a journal. Time stands still unless <see cref="Wait"/> moves it.
/// </summary>
internal sealed class LifecycleDriver
{
    public const string JobId = "job-1";
    public const string Notify = "http://client.example/hook";
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public LifecycleDriver(LifecycleOptions? options = null)
    {
        Lifecycle = new Rules(options ?? new LifecycleOptions());
        State = JobState.Empty(JobId);
    }

    public Rules Lifecycle { get; }
    public LifecycleOptions Options => Lifecycle.Options;
    public JobState State { get; private set; }
    public DateTimeOffset Now { get; private set; } = Start;
    /// <summary>Every event decided so far, in order: what the journal would hold.</summary>
    public List<IJobEvent> Journal { get; } = [];
    /// <summary>Every step so far: the command, when it was decided, its decision, and how long the journal was before it.</summary>
    public List<DriverStep> Steps { get; } = [];

    public void Wait(TimeSpan time) => Now += time;

    /// <summary>Decides on a command and applies its events: one step of the job entity.</summary>
    public Decision Do(object command)
    {
        var decision = Lifecycle.Decide(State, command, Now);
        Steps.Add(new DriverStep(command, Now, decision, Journal.Count));
        foreach (var e in decision.Events) State = Rules.Apply(State, e);
        Journal.AddRange(decision.Events);
        return decision;
    }

    // ---- the job ----

    public Decision Submit(JobKind kind, params string[] videos) => SubmitNotifying(kind, null, videos);

    /// <summary>Submits a job whose UserData names a NotifyAddress (none when <paramref name="notify"/> is null).</summary>
    public Decision SubmitNotifying(JobKind kind, string? notify, params string[] videos) =>
        Do(new SubmitJob(JobId, kind, "token-1", "{\"Timeline\":{}}", notify is null ? null : $"{{\"NotifyAddress\":\"{notify}\"}}", notify,
            videos.Select((v, i) => new VideoSpec(v, i, $"{{\"Video\":\"{v}\"}}", $"out/{v}.mp4")).ToList()));

    public Decision Prepare(string video, VideoStage stage, params TaskSpec[] tasks) =>
        Do(new StagePrepared(JobId, video, stage, tasks, null, null));

    public Decision PrepareRender(string video, long totalFrames, params TaskSpec[] tasks) =>
        Do(new StagePrepared(JobId, video, VideoStage.Render, tasks, totalFrames, totalFrames / 25.0));

    public Decision FailPreparation(string video, VideoStage stage, string code, string message) =>
        Do(new StagePreparationFailed(JobId, video, stage, code, message));

    /// <summary>Speech and AI work prepared with nothing to do: the video waits for its render plan.</summary>
    public void SkipAiWork(string video)
    {
        Prepare(video, VideoStage.Speech);
        Prepare(video, VideoStage.AiWork);
    }

    /// <summary>A render video planned into two segments (60 + 40 frames) and its audio.</summary>
    public void PlanRender(string video)
    {
        SkipAiWork(video);
        PrepareRender(video, 100, Specs.Segment($"{video}/seg-0", 60), Specs.Segment($"{video}/seg-1", 40), Specs.Audio($"{video}/audio"));
    }

    // ---- nodes ----

    public Decision Claim(string task, TestNode? node = null, int? attempt = null)
    {
        node ??= TestNode.A;
        return Do(new ClaimTask(JobId, task, attempt ?? TaskOf(task).Attempt, node.Id, node.Uid, node.Address));
    }

    public Decision Succeed(string task, int? attempt = null, string? node = null) =>
        Do(new ReportTaskSucceeded(JobId, task, attempt ?? TaskOf(task).Attempt, node ?? TaskOf(task).NodeId ?? TestNode.A.Id, false, "done"));

    public Decision Fail(string task, FailureCause cause, string error = "bad input", int? attempt = null, string? node = null) =>
        Do(new ReportTaskFailed(JobId, task, attempt ?? TaskOf(task).Attempt, node ?? TaskOf(task).NodeId ?? TestNode.A.Id, error, cause));

    /// <summary>Claims and runs a task to success on a node.</summary>
    public Decision Run(string task, TestNode? node = null)
    {
        Claim(task, node).Reply.Should().BeOfType<ClaimReply>().Which.Granted.Should().BeTrue($"{task} should be claimable");
        return Succeed(task);
    }

    /// <summary>Claims and fails a task with job-caused failures (waiting out each back-off) until it fails for good.</summary>
    public void FailForGood(string task, string error = "bad input")
    {
        while (TaskOf(task).State != TaskState.Failed)
        {
            if (TaskOf(task).NotBefore is { } notBefore && notBefore > Now) Now = notBefore;
            Claim(task).Reply.Should().BeOfType<ClaimReply>().Which.Granted.Should().BeTrue();
            Fail(task, FailureCause.Job, error);
        }
    }

    public Decision Tick(IEnumerable<string> liveNodes, IReadOnlyDictionary<string, DateTimeOffset>? lastHeard = null) =>
        Do(new Tick(Now, liveNodes.ToHashSet(), lastHeard ?? new Dictionary<string, DateTimeOffset>()));

    /// <summary>A tick in which every node is alive and every running task was heard of just now.</summary>
    public Decision TickAllWell() =>
        Tick([TestNode.A.Uid, TestNode.B.Uid], State.Tasks.Values.Where(t => t.State == TaskState.Running).ToDictionary(t => t.TaskId, _ => Now));

    // ---- looking ----

    public FarmTask TaskOf(string id) => State.Tasks[id];
    public VideoState Video(string id) => State.Videos[id];
    public IReadOnlyList<string> History => State.History.Select(h => h.Event).ToList();
    public IReadOnlyList<string> Ready => Rules.ReadyTasks(State, Now).Select(t => t.TaskId).ToList();
    public IReadOnlyList<(string VideoId, VideoStage Stage)> ToPrepare => Rules.StagesToPrepare(State).ToList();
}

/// <summary>One command the driver decided on.</summary>
internal sealed record DriverStep(object Command, DateTimeOffset Now, Decision Decision, int JournalBefore);

/// <summary>Task specs as a planner would write them.</summary>
internal static class Specs
{
    public static TaskSpec Segment(string id, long frames) => new(id, TaskKind.EncodeSegment, $"{{\"Frames\":{frames}}}", $"seg-{id}", frames);
    public static TaskSpec Audio(string id) => new(id, TaskKind.EncodeAudio, "{}", $"audio-{id}", 0);
    public static TaskSpec Assemble(string id) => new(id, TaskKind.Assemble, "{}", $"mp4-{id}", 0);
    public static TaskSpec Analyse(string id) => new(id, TaskKind.Analyse, "{\"MediaId\":\"m\"}", $"analysis-{id}", 0);
    public static TaskSpec Ai(string id, TaskKind kind, string clip) => new(id, kind, $"{{\"ClipPath\":\"{clip}\"}}", $"ai-{id}", 0);
}
