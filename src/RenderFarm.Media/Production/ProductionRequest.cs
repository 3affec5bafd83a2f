using System.Text.Json;
using System.Text.RegularExpressions;
using RenderFarm.Core.Json;

namespace RenderFarm.Media.Production;

/// <summary>Input or Output of a request: IMS's Type (OSS, Media; here also Local and URL) and Media (a path, URL or MediaId).</summary>
public sealed record ProductionMedia(string Type, string Media);

/// <summary>A SubmitIProductionJob request, checked; <see cref="Params"/> is the function's parsed JobParams.</summary>
public sealed record ProductionRequest(
    IProductionFunction Function,
    ProductionMedia Input,
    ProductionMedia? Output,
    string? JobParams,
    object Params,
    int Priority,
    string? Name,
    string? UserData,
    string? ClientToken,
    IReadOnlyList<Warning> Warnings);

/// <summary>
/// Reads SubmitIProductionJob (pure): FunctionName, Input {Type, Media}, Output {Type, Media}, JobParams
/// (JSON text, IMS's non-strict form included, or an object), ScheduleConfig.Priority 1-10 (smaller runs
/// sooner, default 6), Name (at most 100 characters), UserData, ClientToken. Every error names its field.
/// Media that need a storage backend (oss://, IMS media assets) are refused here, with the reason.
/// </summary>
public static partial class ProductionRequestParser
{
    public const int MaxNameLength = 100, DefaultPriority = 6;
    public static readonly string[] MediaTypes = ["Local", "URL", "Media", "OSS"];

    public static ProductionRequest Parse(string body, ProductionFunctions functions)
    {
        var diagnostics = new Diagnostics();
        var root = JsonObjectReader.Parse(RequestJson.Normalise(body).ToJsonString(), diagnostics);
        var function = functions.Find(root.String("FunctionName"));
        var input = Media(root.ObjectOrJsonText("Input") ?? throw root.Error("Input", "is required: {\"Type\":\"Local\",\"Media\":\"PATH or URL\"}"), "Input");
        var outputReader = root.ObjectOrJsonText("Output");
        var output = outputReader is null ? null : Media(outputReader, "Output");
        if (output is { Type: "Media" }) throw new RequestException("Output.Type", "Media (a media asset) needs a storage backend this farm does not have yet; give Local with a path under the output directory");
        string? jobParams = root.Raw("JobParams") switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Object } o => o.GetRawText(),
            null => null,
            var other => throw root.Error("JobParams", $"must be JSON text or an object, not {other.Value.ValueKind.ToString().ToLowerInvariant()}"),
        };
        var parameters = ProductionFunctions.ParseParams(function, jobParams);
        var schedule = root.ObjectOrJsonText("ScheduleConfig");
        var priority = schedule?.Integer("Priority", 1, 10) ?? DefaultPriority;
        if (schedule?.Has("PipelineId") == true) { schedule.Warn("PipelineId", "pipelines are not used; ScheduleConfig.Priority orders the farm's queue"); schedule.Accept("PipelineId"); }
        var name = root.String("Name");
        if (name is { Length: > MaxNameLength }) throw root.Error("Name", $"at most {MaxNameLength} characters are allowed (got {name.Length})");
        var token = root.String("ClientToken");
        if (token is { Length: > 64 }) throw root.Error("ClientToken", "at most 64 characters are allowed");
        var userData = root.Raw("UserData") is { } u ? (u.ValueKind == JsonValueKind.String ? u.GetString() : u.GetRawText()) : null;
        if (root.Has("TemplateId")) { root.Warn("TemplateId", "templates are not supported; JobParams carries the parameters"); root.Accept("TemplateId"); }
        root.ReportUnread();
        return new ProductionRequest(function, input, output, jobParams, parameters, priority, name, userData, token, diagnostics.Warnings);
    }

    private static ProductionMedia Media(JsonObjectReader reader, string field)
    {
        var media = reader.RequiredString("Media");
        var type = reader.OneOf("Type", MediaTypes) ?? (media.StartsWith("oss://", StringComparison.OrdinalIgnoreCase) ? "OSS" : "Local");
        Refuse(media, type, reader.FieldPath("Media"));
        return new ProductionMedia(type, media);
    }

    /// <summary>
    /// Refuses what needs a storage backend: OSS objects and media-asset ids that are not library MediaIds.
    /// Used for Input, Output and media inside JobParams alike (`farm iproduction` too).
    /// </summary>
    public static void Refuse(string media, string type, string path)
    {
        if (type == "OSS" || media.StartsWith("oss://", StringComparison.OrdinalIgnoreCase))
            throw new RequestException(path, $"'{JsonObjectReader.Excerpt(media)}' is an OSS object; OSS needs a storage backend this farm does not have yet: give a local path under the media roots or an allowed http(s) URL");
        if (type == "Media" && !IsLibraryMediaId(media))
            throw new RequestException(path, $"'{JsonObjectReader.Excerpt(media)}' is not a media library MediaId (32 hex characters); IMS media assets need a storage backend this farm does not have yet");
    }

    /// <summary>Library MediaIds are 32 lower-case hex characters, as IMS's are.</summary>
    public static bool IsLibraryMediaId(string media) => MediaIdShape().IsMatch(media);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex MediaIdShape();
}
