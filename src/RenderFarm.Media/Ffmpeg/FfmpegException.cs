using System.Text.RegularExpressions;

namespace RenderFarm.Media.Ffmpeg;

/// <summary>
/// ffmpeg (or ffprobe) exited with an error. The message is one line: what failed and the most
/// telling stderr line; <see cref="StderrTail"/> keeps the last lines for logs.
/// </summary>
public sealed partial class FfmpegException : Exception
{
    public FfmpegException(string summary, int exitCode, IReadOnlyList<string> stderrTail)
        : base(Compose(summary, exitCode, stderrTail))
    {
        ExitCode = exitCode;
        StderrTail = string.Join('\n', stderrTail);
    }

    public int ExitCode { get; }
    public string StderrTail { get; }

    /// <summary>The stderr line that says what went wrong, or null when there was none.</summary>
    public static string? MeaningfulLine(IReadOnlyList<string> stderrTail)
    {
        var lines = stderrTail.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        // ffmpeg follows the real error with generic lines ("Conversion failed!", "Error reinitializing
        // filters!"); the last line that is not one of those names the cause.
        var line = lines.LastOrDefault(l => !IsGenericFollowUp(l)) ?? lines.LastOrDefault();
        return line is null ? null : WithoutAddresses(line);
    }

    /// <summary>A generic line, with or without the "[filter @ 0x...] " context ffmpeg puts before some of them.</summary>
    private static bool IsGenericFollowUp(string line)
    {
        var text = line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0 ? line[(end + 2)..] : line;
        return GenericFollowUps.Any(g => text.StartsWith(g, StringComparison.Ordinal));
    }

    /// <summary>"[AVFilterGraph @ 0x55d0c0e8] No such filter" -> "[AVFilterGraph] No such filter": addresses only add noise.</summary>
    internal static string WithoutAddresses(string line) => ContextAddress().Replace(line, "]");

    private static readonly string[] GenericFollowUps =
    [
        "Conversion failed", "Error splitting the argument list", "Error reinitializing filters",
        "Failed to inject frame into filter network", "Error while processing the decoded data",
        "Error initializing output stream", "Error while filtering", "Error opening output file",
        "Exiting normally", "Failed to configure output pad", "Error configuring filter graph",
    ];

    private static string Compose(string summary, int exitCode, IReadOnlyList<string> tail) =>
        $"{summary} (exit code {exitCode}): {MeaningfulLine(tail) ?? "no error output"}";

    [GeneratedRegex(@" @ 0x[0-9a-fA-F]+\]")]
    private static partial Regex ContextAddress();
}
