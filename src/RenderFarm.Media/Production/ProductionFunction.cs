using System.Text.Json.Nodes;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;

namespace RenderFarm.Media.Production;

/// <summary>
/// What a medium must carry: an audio stream (music, voice, the sound of a video), a video (moving pictures),
/// a video or a still picture, or a still picture (<see cref="ProductionFunctions.RequireStream"/> checks it).
/// </summary>
public enum ProductionInput { Audio, Video, VideoOrImage, Image }

/// <summary>
/// A medium named inside JobParams (an extra input of the function): the JSON path that named it, its URL and
/// what it must carry (null: what the function's Input must carry).
/// </summary>
public sealed record ParamMedia(string Path, string Url, ProductionInput? Needs = null);

/// <summary>
/// One run of a function: its Input as a local file, the local files of the media its JobParams name (by
/// the JSON path that named them), the file to write (a temporary name, renamed to <see cref="FinalPath"/>
/// once the function succeeds; files written beside it are named after <see cref="FinalPath"/>) and a
/// scratch directory removed afterwards.
/// </summary>
public sealed record ProductionRun(string InputPath, IReadOnlyDictionary<string, string> Media, string OutputPath, string FinalPath, string WorkDirectory);

/// <summary>
/// One media-AI function of SubmitIProductionJob: the checks of its JobParams (pure; errors name
/// <c>JobParams.field</c>) and its engine. The same object serves the gateway (checking a request before
/// anything is stored), the worker running the job's task and `farm iproduction`.
/// </summary>
public interface IProductionFunction
{
    /// <summary>The IMS FunctionName.</summary>
    string Name { get; }

    ProductionInput Input { get; }

    /// <summary>Output file extensions the function writes (lower case, with the dot); the first is the default.</summary>
    IReadOnlyList<string> OutputExtensions { get; }

    /// <summary>
    /// The output extensions for these parameters and this input (null: not probed yet, e.g. a URL that is
    /// downloaded later); the first is the default. A function whose output format depends on them narrows
    /// <see cref="OutputExtensions"/> here, so a mismatched Output is refused before the job is stored.
    /// </summary>
    IReadOnlyList<string> OutputExtensionsFor(object parameters, MediaFacts? input);

    /// <summary>The JobParams names the function takes (a name outside this list is refused, with the list).</summary>
    IReadOnlyList<string> ParamNames { get; }

    /// <summary>JobParams, checked. The result is passed back to <see cref="Media"/> and <see cref="RunAsync"/>.</summary>
    /// <exception cref="RequestException">A parameter is missing, of the wrong type or out of range (the path names it).</exception>
    object Parse(JsonObjectReader jobParams);

    /// <summary>Media the parameters name, admitted and resolved like Input.</summary>
    IReadOnlyList<ParamMedia> Media(object parameters);

    /// <summary>Runs the function; the answer is its Result (what QueryIProductionJob returns).</summary>
    /// <exception cref="RequestException">The input is not what the function needs (no audio stream, too long...).</exception>
    Task<JsonObject> RunAsync(ProductionRun run, object parameters, IProgress<double> progress, CancellationToken ct);
}

/// <summary>An <see cref="IProductionFunction"/> with typed parameters.</summary>
public abstract class ProductionFunction<TParams> : IProductionFunction where TParams : class
{
    public abstract string Name { get; }
    public abstract ProductionInput Input { get; }
    public abstract IReadOnlyList<string> OutputExtensions { get; }
    public abstract IReadOnlyList<string> ParamNames { get; }

    public abstract TParams ParseParams(JsonObjectReader jobParams);
    public virtual IReadOnlyList<ParamMedia> MediaOf(TParams parameters) => [];
    public virtual IReadOnlyList<string> OutputExtensionsOf(TParams parameters, MediaFacts? input) => OutputExtensions;
    public abstract Task<JsonObject> RunAsync(ProductionRun run, TParams parameters, IProgress<double> progress, CancellationToken ct);

    public object Parse(JsonObjectReader jobParams) => ParseParams(jobParams);
    public IReadOnlyList<ParamMedia> Media(object parameters) => MediaOf((TParams)parameters);
    public IReadOnlyList<string> OutputExtensionsFor(object parameters, MediaFacts? input) => OutputExtensionsOf((TParams)parameters, input);
    public Task<JsonObject> RunAsync(ProductionRun run, object parameters, IProgress<double> progress, CancellationToken ct) =>
        RunAsync(run, (TParams)parameters, progress, ct);
}
