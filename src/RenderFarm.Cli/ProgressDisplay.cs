using Spectre.Console;

namespace RenderFarm.Cli;

/// <summary>A progress bar on an interactive terminal; percentage lines on stderr otherwise (logs, CI).</summary>
public static class ProgressDisplay
{
    public static async Task<T> Run<T>(bool quiet, string label, Func<IProgress<double>, Task<T>> work)
    {
        if (quiet) return await work(new Progress<double>());
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            var lastReported = -10;
            var lines = new Progress<double>(p =>
            {
                var percent = (int)(p * 100);
                if (percent < lastReported + 10 && percent < 100) return;
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
                result = await work(new Progress<double>(p => task.Value = p));
                task.Value = 1;
            });
        return result;
    }
}
