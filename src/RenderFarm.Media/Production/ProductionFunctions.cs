using System.Text.Json;
using RenderFarm.Core.Json;

namespace RenderFarm.Media.Production;

/// <summary>
/// The functions a farm runs, by FunctionName (IMS names; case-insensitive), and the one way JobParams are
/// read: IMS's non-strict JSON (<see cref="LooseJson"/>), a JSON string or an object, every name checked
/// against the function's list.
/// </summary>
public sealed class ProductionFunctions
{
    private readonly IReadOnlyList<IProductionFunction> _functions;

    public ProductionFunctions(IEnumerable<IProductionFunction> functions)
    {
        _functions = functions.ToList();
        var twice = _functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"function {twice.Key} is registered twice");
    }

    public IReadOnlyList<string> Names => _functions.Select(f => f.Name).ToList();

    /// <exception cref="RequestException">No function has this name (the message lists the names).</exception>
    public IProductionFunction Find(string? name, string path = "FunctionName") =>
        string.IsNullOrWhiteSpace(name)
            ? throw new RequestException(path, $"is required; supported: {string.Join(", ", Names)}")
            : _functions.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
              ?? throw new RequestException(path, $"unknown function '{JsonObjectReader.Excerpt(name)}'; supported: {string.Join(", ", Names)}");

    /// <summary>Refuses a medium without the stream the function reads (probed facts of a local file).</summary>
    /// <exception cref="RequestException">At <paramref name="path"/>.</exception>
    public static void RequireStream(Core.Planning.MediaFacts facts, ProductionInput needs, string path)
    {
        switch (needs)
        {
            case ProductionInput.Audio when !facts.HasAudio:
                throw new RequestException(path, "has no audio stream");
            case ProductionInput.Video when !facts.HasVideo || facts.IsStill:
                throw new RequestException(path, "has no video stream (a video is needed, not a still image or a sound)");
            case ProductionInput.VideoOrImage when !facts.HasVideo:
                throw new RequestException(path, "has no picture (a video or an image is needed, not a sound)");
            case ProductionInput.Image when !facts.HasVideo || !facts.IsStill:
                throw new RequestException(path, "is not an image (a still picture is needed: PNG, JPEG, ...)");
        }
    }

    /// <summary>Refuses an output file name whose extension is not one of <paramref name="extensions"/>.</summary>
    /// <exception cref="RequestException">At <paramref name="path"/>, with the extensions accepted.</exception>
    public static void RequireExtension(string output, IReadOnlyList<string> extensions, string path, string why)
    {
        if (!extensions.Any(e => output.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            throw new RequestException(path, $"{why} writes {string.Join(" or ", extensions)} files; name one of those");
    }

    /// <summary>
    /// The function's parameters from JobParams text (null or empty: all defaults). Unknown names are
    /// refused with the names the function takes, so a misspelt parameter is never silently ignored.
    /// </summary>
    public static object ParseParams(IProductionFunction function, string? text, string path = "JobParams")
    {
        var json = string.IsNullOrWhiteSpace(text) ? "{}" : LooseJson.ToJson(text);
        var reader = JsonObjectReader.Parse(json, new Diagnostics(), path);
        using (var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }))
            foreach (var property in document.RootElement.EnumerateObject())
                if (!function.ParamNames.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                    throw new RequestException($"{path}.{property.Name}",
                        function.ParamNames.Count == 0 ? $"{function.Name} takes no parameters" : $"unknown parameter of {function.Name}; supported: {string.Join(", ", function.ParamNames)}");
        return function.Parse(reader);
    }
}
