using System.CommandLine;
using RenderFarm.Core.Json;
using RenderFarm.Media.Captions;
using RenderFarm.Media.Compilation;
using RenderFarm.Media.Ffmpeg;
using RenderFarm.Media.Rendering;

namespace RenderFarm.Cli;

/// <summary>
/// `farm render FILE.json -o OUT.mp4`: renders a timeline (or a SubmitMediaProducingJob request)
/// locally. MediaURLs are read relative to the file's directory; the output appears only when complete.
/// The output's extension names its container (mp4, mov, webm, gif, mp3, m4a, wav).
/// </summary>
public static class RenderVerb
{
    public static Command Command()
    {
        var file = new Argument<FileInfo>("file") { Description = "Timeline JSON or SubmitMediaProducingJob request" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Output file: .mp4, .mov, .webm, .gif, .mp3, .m4a or .wav (default: OutputMediaConfig.MediaURL)" };
        var segment = new Option<double?>("--segment-seconds") { Description = "Render in segments of about this length, then concatenate (default: 10 s segments for timelines of 20 s or more with more than 4 clips, else one pass)" };
        var parallel = new Option<int>("--parallel") { Description = "Segments rendered at once", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Encoder threads per ffmpeg process" };
        var preset = new Option<string>("--preset") { Description = "x264 preset", DefaultValueFactory = _ => EncoderSettings.Default.Preset };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var srt = new Option<bool>("--srt") { Description = "Also write the AI_ASR captions as an SRT file next to the output (same name, .srt)" };
        var command = new Command("render", "Render a timeline to a video (or audio) file") { file, output, segment, parallel, threads, preset, quiet, srt };
        command.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var input = parse.GetValue(file)!;
            if (parse.GetValue(segment) is <= 0)
                throw new RequestException("--segment-seconds", "must be greater than 0");
            var request = await Settings.ReadRequestAsync(input, ct);
            var target = parse.GetValue(output)?.FullName ?? LocalOutput(request.Output.MediaUrl, input.DirectoryName!);
            request = WrittenTo(request, target, parse.GetValue(output) is not null);
            using var preparer = Settings.Preparer(input.DirectoryName!);
            var prepared = await preparer.PrepareAsync(request, input.DirectoryName!, ct);
            foreach (var warning in prepared.Warnings) Console.Error.WriteLine($"warning: {warning}");
            var encoder = EncoderSettings.Default with { Threads = parse.GetValue(threads), Preset = parse.GetValue(preset)! };
            var renderer = new TimelineRenderer(new FfmpegRunner(), encoder);
            var options = (parse.GetValue(segment) is { } seconds ? new RenderOptions(seconds) : RenderOptions.For(prepared.Schedule))
                with { Parallelism = Math.Max(1, parse.GetValue(parallel)) };
            var result = await ProgressDisplay.Run(parse.GetValue(quiet), $"rendering {input.Name}",
                progress => renderer.RenderAsync(prepared, target, options, progress, ct));
            Console.WriteLine(result.OutputPath);
            if (parse.GetValue(srt))
            {
                var srtPath = Path.ChangeExtension(result.OutputPath, ".srt");
                await AtomicOutput.WriteTextAsync(srtPath, SrtWriter.Write(prepared.Captions), ct);
                Console.WriteLine(srtPath);
            }
            var format = prepared.Schedule.Output;
            Console.Error.WriteLine(format.Encoding.HasVideo
                ? $"rendered {result.Frames} frames ({result.DurationSeconds:0.###} s, {format.Width}x{format.Height} @ {format.Fps} fps) in {result.Segments} segment(s)"
                : $"rendered {result.DurationSeconds:0.###} s of audio");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The request with its output written to <paramref name="target"/>, whose extension names the container (-o or MediaURL).</summary>
    internal static Core.Jobs.ProducingJobRequest WrittenTo(Core.Jobs.ProducingJobRequest request, string target, bool fromOption) =>
        request with { Output = request.Output.WrittenTo(target, fromOption ? "--output" : "OutputMediaConfig.MediaURL") };

    /// <summary>OutputMediaConfig.MediaURL as a local output path (file:// or a path); required when -o is absent.</summary>
    internal static string LocalOutput(string? mediaUrl, string baseDirectory)
    {
        if (mediaUrl is null)
            throw new RequestException("OutputMediaConfig.MediaURL", "is required when no --output is given");
        if (Uri.TryCreate(mediaUrl, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeFile)
            throw new RequestException("OutputMediaConfig.MediaURL", $"'{mediaUrl}' is not a local path; give --output");
        var path = uri?.IsFile == true ? uri.LocalPath : mediaUrl;
        return Path.GetFullPath(path, baseDirectory);
    }
}
