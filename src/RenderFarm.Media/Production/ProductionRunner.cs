using System.Text.Json.Nodes;
using RenderFarm.Media.Rendering;

namespace RenderFarm.Media.Production;

/// <summary>
/// Runs one function on local files (the worker's task and `farm iproduction` alike): in a scratch directory,
/// writing its output under a temporary name that becomes the output only when the function succeeded.
/// </summary>
public static class ProductionRunner
{
    public static async Task<JsonObject> RunAsync(IProductionFunction function, object parameters, string inputPath,
        IReadOnlyDictionary<string, string> media, string outputPath, string scratchRoot, IProgress<double> progress, CancellationToken ct)
    {
        Directory.CreateDirectory(scratchRoot);
        using var work = new WorkDirectory(scratchRoot);
        using var output = new AtomicOutput(outputPath);
        var result = await function.RunAsync(new ProductionRun(inputPath, media, output.TempPath, output.FinalPath, work.Path), parameters, progress, ct);
        ct.ThrowIfCancellationRequested();
        output.Commit();
        return result;
    }
}
