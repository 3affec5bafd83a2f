using System.Text.Json;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// Column-shaped rows the read model reads and writes with Dapper: times as unix milliseconds, enums as
/// their names, lists and dictionaries as JSON text, booleans as 0/1. Property names are the
/// parameter names of the SQL and the aliases of its SELECT lists.
/// </summary>
internal static class ReadModelRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    public static T Enum<T>(string name) where T : struct, Enum => System.Enum.Parse<T>(name, ignoreCase: false);

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T FromJson<T>(string json) where T : new() =>
        string.IsNullOrEmpty(json) ? new T() : JsonSerializer.Deserialize<T>(json, Json) ?? new T();

    internal sealed class JobRow
    {
        public const string Columns =
            "job_id AS JobId, kind AS Kind, client_token AS ClientToken, request_json AS RequestJson, status AS Status, " +
            "progress AS Progress, user_data AS UserData, code AS Code, message AS Message, create_time AS CreateTime, " +
            "modified_time AS ModifiedTime, complete_time AS CompleteTime";

        public string JobId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? ClientToken { get; set; }
        public string RequestJson { get; set; } = "";
        public string Status { get; set; } = "";
        public double Progress { get; set; }
        public string? UserData { get; set; }
        public string? Code { get; set; }
        public string? Message { get; set; }
        public long CreateTime { get; set; }
        public long ModifiedTime { get; set; }
        public long? CompleteTime { get; set; }

        public static JobRow From(JobRecord j) => new()
        {
            JobId = j.JobId, Kind = j.Kind.ToString(), ClientToken = j.ClientToken, RequestJson = j.RequestJson,
            Status = j.Status.ToString(), Progress = j.Progress, UserData = j.UserData, Code = j.Code, Message = j.Message,
            CreateTime = Ms(j.CreateTime), ModifiedTime = Ms(j.ModifiedTime), CompleteTime = Ms(j.CompleteTime),
        };

        public JobRecord ToRecord() => new(
            JobId, Enum<JobKind>(Kind), ClientToken, RequestJson, Enum<JobStatus>(Status), Progress, UserData, Code, Message,
            Time(CreateTime), Time(ModifiedTime), Time(CompleteTime));
    }

    internal sealed class VideoRow
    {
        public const string Columns =
            "video_id AS VideoId, job_id AS JobId, video_index AS VideoIndex, request_json AS RequestJson, output_path AS OutputPath, " +
            "status AS Status, progress AS Progress, total_frames AS TotalFrames, segments AS Segments, duration_seconds AS DurationSeconds, " +
            "code AS Code, message AS Message";

        public string VideoId { get; set; } = "";
        public string JobId { get; set; } = "";
        public long VideoIndex { get; set; }
        public string RequestJson { get; set; } = "";
        public string OutputPath { get; set; } = "";
        public string Status { get; set; } = "";
        public double Progress { get; set; }
        public long TotalFrames { get; set; }
        public long Segments { get; set; }
        public double? DurationSeconds { get; set; }
        public string? Code { get; set; }
        public string? Message { get; set; }

        public static VideoRow From(VideoRecord v) => new()
        {
            VideoId = v.VideoId, JobId = v.JobId, VideoIndex = v.Index, RequestJson = v.RequestJson, OutputPath = v.OutputPath,
            Status = v.Status.ToString(), Progress = v.Progress, TotalFrames = v.TotalFrames, Segments = v.Segments,
            DurationSeconds = v.DurationSeconds, Code = v.Code, Message = v.Message,
        };

        public VideoRecord ToRecord() => new(
            VideoId, JobId, checked((int)VideoIndex), RequestJson, OutputPath, Enum<JobStatus>(Status), Progress, TotalFrames,
            checked((int)Segments), DurationSeconds, Code, Message);
    }

    internal sealed class TaskRow
    {
        public const string Columns =
            "task_id AS TaskId, job_id AS JobId, video_id AS VideoId, kind AS Kind, input_json AS InputJson, artifact_key AS ArtifactKey, " +
            "state AS State, attempt AS Attempt, node_id AS NodeId, started_at AS StartedAt, finished_at AS FinishedAt, " +
            "error AS Error, reused AS Reused";

        public string TaskId { get; set; } = "";
        public string JobId { get; set; } = "";
        public string VideoId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string InputJson { get; set; } = "";
        public string ArtifactKey { get; set; } = "";
        public string State { get; set; } = "";
        public long Attempt { get; set; }
        public string? NodeId { get; set; }
        public long? StartedAt { get; set; }
        public long? FinishedAt { get; set; }
        public string? Error { get; set; }
        public long Reused { get; set; }

        public static TaskRow From(TaskRecord t) => new()
        {
            TaskId = t.TaskId, JobId = t.JobId, VideoId = t.VideoId, Kind = t.Kind.ToString(), InputJson = t.InputJson,
            ArtifactKey = t.ArtifactKey, State = t.State.ToString(), Attempt = t.Attempt, NodeId = t.NodeId,
            StartedAt = Ms(t.StartedAt), FinishedAt = Ms(t.FinishedAt), Error = t.Error, Reused = t.Reused ? 1 : 0,
        };

        public TaskRecord ToRecord() => new(
            TaskId, JobId, VideoId, Enum<TaskKind>(Kind), InputJson, ArtifactKey, Enum<TaskState>(State), checked((int)Attempt), NodeId,
            Time(StartedAt), Time(FinishedAt), Error, Reused != 0);
    }

    internal sealed class HistoryRow
    {
        public const string Columns =
            "seq AS Id, job_id AS JobId, video_id AS VideoId, task_id AS TaskId, at AS At, event AS Event, detail AS Detail, node_id AS NodeId";

        public long Id { get; set; }
        public string JobId { get; set; } = "";
        public string? VideoId { get; set; }
        public string? TaskId { get; set; }
        public long At { get; set; }
        public string Event { get; set; } = "";
        public string? Detail { get; set; }
        public string? NodeId { get; set; }

        public static HistoryRow From(HistoryEntry h) => new()
        {
            Id = h.Id, JobId = h.JobId, VideoId = h.VideoId, TaskId = h.TaskId, At = Ms(h.At), Event = h.Event, Detail = h.Detail, NodeId = h.NodeId,
        };

        public HistoryEntry ToRecord() => new(Id, JobId, VideoId, TaskId, Time(At), Event, Detail, NodeId);
    }

    internal sealed class NodeRow
    {
        public const string Columns =
            "node_id AS NodeId, roles AS Roles, slots AS Slots, state AS State, started_at AS StartedAt, last_seen AS LastSeen, " +
            "disabled_kinds AS DisabledKinds, running_tasks AS RunningTasks, device AS Device, address AS Address";

        public string NodeId { get; set; } = "";
        public string Roles { get; set; } = "[]";
        public string Slots { get; set; } = "{}";
        public string State { get; set; } = "";
        public long StartedAt { get; set; }
        public long LastSeen { get; set; }
        public string DisabledKinds { get; set; } = "[]";
        public long RunningTasks { get; set; }
        public string Device { get; set; } = "";
        public string Address { get; set; } = "";

        public static NodeRow From(NodeRecord n) => new()
        {
            NodeId = n.NodeId, Roles = ToJson(n.Roles ?? []), Slots = ToJson(n.Slots ?? new Dictionary<string, int>()),
            State = n.State.ToString(), StartedAt = Ms(n.StartedAt), LastSeen = Ms(n.LastSeen),
            DisabledKinds = ToJson(n.DisabledKinds ?? []), RunningTasks = n.RunningTasks, Device = n.Device,
            Address = n.Address,
        };

        public NodeRecord ToRecord() => new(
            NodeId, FromJson<List<string>>(Roles), FromJson<Dictionary<string, int>>(Slots), Enum<NodeState>(State),
            Time(StartedAt), Time(LastSeen), FromJson<List<string>>(DisabledKinds), checked((int)RunningTasks), Device, Address);
    }

    internal sealed class CountRow
    {
        public string Kind { get; set; } = "";
        public string State { get; set; } = "";
        public long Count { get; set; }
    }
}
