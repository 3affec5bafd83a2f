using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Production;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cluster.Production;

/// <summary>
/// Accepts SubmitIProductionJob: the request checked (<see cref="ProductionRequestParser"/>: FunctionName,
/// JobParams, priority, name), library MediaIds resolved to their InputURL, every medium admitted by the media
/// policy (<see cref="MediaSourceResolver.Admit"/>) and, when local, probed for the stream the function
/// needs, the output placed under the output directory; then stored like any job (ClientToken idempotence,
/// output ownership, webhook address). A bad request is a <see cref="RequestException"/> and stores nothing.
/// </summary>
public sealed class ProductionSubmission(JobSubmission jobs, ProductionFunctions functions, OutputLocations outputs,
    MediaSourceResolver resolver, string mediaDirectory, IMediaLibraryStore? library, MediaProber prober)
{
    public ProductionFunctions Functions => functions;

    public async Task<SubmissionResult> SubmitAsync(string body, CancellationToken ct)
    {
        var normalised = RequestJson.Normalise(body).ToJsonString();
        var request = ProductionRequestParser.Parse(normalised, functions);
        var function = request.Function;
        var (input, facts) = await AdmitAsync(request.Input.Media, "Input.Media", function.Input, ct);
        var media = new List<ParamMedia>();
        foreach (var m in function.Media(request.Params))
        {
            ProductionRequestParser.Refuse(m.Url, "", m.Path);
            media.Add(m with { Url = (await AdmitAsync(m.Url, m.Path, m.Needs ?? function.Input, ct)).Url });
        }
        var jobId = request.ClientToken is null ? JobIds.New() : JobIds.ForClientToken(request.ClientToken);
        var output = outputs.Resolve(request.Output?.Media, jobId, 0, "Output.Media", function.OutputExtensionsFor(request.Params, facts));
        var video = ProductionPlanner.Video(jobId, new ProduceInput(function.Name, input, request.JobParams, media, output, request.Priority));
        return await jobs.Store(new JobSubmission.Draft(jobId, JobKind.IProduction, request.ClientToken, normalised, request.UserData, [(video, "Output.Media")]),
            request.Warnings, ct);
    }

    /// <summary>
    /// The URL the task will read: a library MediaId becomes its InputURL; a local file must carry the stream the
    /// function needs, and its facts come back (null for a URL: checked when downloaded).
    /// </summary>
    private async Task<(string Url, MediaFacts? Facts)> AdmitAsync(string url, string path, ProductionInput needs, CancellationToken ct)
    {
        if (ProductionRequestParser.IsLibraryMediaId(url))
        {
            var entry = library is null ? null : await library.GetMediaAsync(url, ct);
            url = entry?.InputUrl ?? throw new RequestException(path, $"'{url}' is not the MediaId of a medium in the media library");
        }
        if (resolver.Admit(url, path, mediaDirectory) is not { } local) return (url, null);
        var facts = await prober.ProbeAsync(local, path, ct);
        ProductionFunctions.RequireStream(facts, needs, path);
        return (url, facts);
    }
}
