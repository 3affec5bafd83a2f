using System.CommandLine;
using System.Text.Json;
using RenderFarm.Cluster.Hosting;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Media.Production;
using RenderFarm.Media.Sources;

namespace RenderFarm.Cli;

/// <summary>
/// `farm iproduction FUNCTION INPUT [-o OUTPUT] [--params JSON]`: runs one media-AI function of
/// SubmitIProductionJob locally, with a progress bar, under the same media policy as `farm render`. The
/// function's Result is printed as JSON; the output appears only when complete. Bad input: exit 2, one line.
/// </summary>
public static class IProductionVerb
{
    public static Command Command()
    {
        var function = new Argument<string>("function") { Description = "FunctionName, e.g. AudioMixing or SlideSplit" };
        var input = new Argument<string>("input") { Description = "Input medium: a path, file:// or allowed http(s) URL" };
        var output = new Option<string?>("--output", "-o") { Description = "Output file (default: INPUT-FUNCTION with the function's extension, in the current directory)" };
        var parameters = new Option<string?>("--params") { Description = "JobParams as JSON (IMS's non-strict form with bare names is accepted)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var command = new Command("iproduction", "Run a media-AI function (SubmitIProductionJob) on one input locally") { function, input, output, parameters, quiet };
        command.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var here = Directory.GetCurrentDirectory();
            var cache = MediaSourcePolicy.FromEnvironment(here).CacheDirectory;
            var functions = ProductionCatalog.Create(AiEngineFactory.Create(Path.Combine(cache, "ai")), Path.Combine(cache, "probe"));
            var chosen = functions.Find(parse.GetValue(function), "FUNCTION");
            var jobParams = ProductionFunctions.ParseParams(chosen, parse.GetValue(parameters), "--params");
            using var preparer = Settings.Preparer(here);
            async Task<(string Path, MediaFacts Facts)> Local(string url, string path, ProductionInput needs)
            {
                ProductionRequestParser.Refuse(url, "", path);
                if (ProductionRequestParser.IsLibraryMediaId(url))
                    throw new RequestException(path, $"'{url}' looks like a media library MediaId; those resolve on a farm node (farm submit), not locally");
                var (local, facts) = await preparer.ProbeAsync(url, path, here, ct);
                ProductionFunctions.RequireStream(facts, needs, path);
                return (local, facts);
            }
            var inputUrl = parse.GetValue(input)!;
            var (inputPath, inputFacts) = await Local(inputUrl, "INPUT", chosen.Input);
            var media = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var m in chosen.Media(jobParams)) media[m.Path] = (await Local(m.Url, m.Path, m.Needs ?? chosen.Input)).Path; // m.Path: --params.field
            var extensions = chosen.OutputExtensionsFor(jobParams, inputFacts);
            var target = Path.GetFullPath(parse.GetValue(output)
                ?? $"{Path.GetFileNameWithoutExtension(inputPath)}-{chosen.Name}{extensions[0]}", here);
            ProductionFunctions.RequireExtension(target, extensions, "--output", chosen.Name);
            var result = await ProgressDisplay.Run(parse.GetValue(quiet), $"{chosen.Name} {Path.GetFileName(inputPath)}",
                progress => ProductionRunner.RunAsync(chosen, jobParams, inputPath, media, target,
                    Path.Combine(Path.GetTempPath(), "renderfarm-iproduction"), progress, ct));
            Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.Error.WriteLine($"wrote {target}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
