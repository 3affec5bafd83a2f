using RenderFarm.Media;
using Spectre.Console;

namespace RenderFarm.Cli;

/// <summary>
/// A progress bar on an interactive terminal; percentage lines on stderr otherwise (logs, CI): the
/// first report, then every 10 points, and 100% exactly once, never going backwards. Reports are
/// handled synchronously (<see cref="SyncProgress{T}"/>), so every line is out before the work returns.
/// </summary>
public static class ProgressDisplay
{
    public static async Task<T> Run<T>(bool quiet, string label, Func<IProgress<double>, Task<T>> work)
    {
        if (quiet) return await work(new SyncProgress<double>(_ => { }));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            var lastReported = -1;
            var lines = new SyncProgress<double>(p =>
            {
                var percent = (int)Math.Clamp(p * 100, 0, 100);
                if (percent <= lastReported) return;
                if (lastReported >= 0 && percent < lastReported + 10 && percent < 100) return;
                lastReported = percent;
                Console.Error.WriteLine($"{label}: {percent}%");
            });
            return await work(lines);
        }
        T result = default!;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(label, maxValue: 1);
                result = await work(new SyncProgress<double>(p => task.Value = Math.Max(task.Value, p)));
                task.Value = 1;
            });
        return result;
    }
}
