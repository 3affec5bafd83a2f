using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// SubmitBatchMediaProducingJob with IMS configs through the embedded farm: a Script-to-Video request
/// is planned (probes, real spoken lengths), rendered into Count videos, previewed without rendering,
/// and refused with its field when invalid.
/// </summary>
public sealed class BatchProductionTests : IDisposable
{
    private readonly FarmTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static readonly string[] Scripts = ["Fresh bread every morning.", "Coffee roasted in house.", "Visit us on Main Street."];

    private (string[] Open, string[] Body, string[] End)? _clips;

    private (string[], string[], string[]) MakeClips()
    {
        var m = _bed.Media;
        return ([m.PatternVideo("open1.mp4", 2.5, 320, 240), m.ColourVideo("open2.mp4", "navy", 2.5)],
            [m.ColourVideo("body1.mp4", "maroon", 2.5), m.ColourVideo("body2.mp4", "olive", 2.5), m.PatternVideo("body3.mp4", 2.5, 240, 320)],
            [m.ColourVideo("end1.mp4", "teal", 2.5), m.ColourVideo("end2.mp4", "purple", 2.5)]);
    }

    /// <summary>Three groups of short generated clips (2.5 s, each its own colour or pattern) and three short scripts.</summary>
    private JsonObject Request(int count)
    {
        _clips ??= MakeClips();
        var (open, body, end) = _clips.Value;
        static JsonArray Group(string[] clips) => new(clips.Select(c => (JsonNode)c!).ToArray());
        return new JsonObject
        {
            ["InputConfig"] = new JsonObject
            {
                ["MediaGroupArray"] = new JsonArray(
                    new JsonObject { ["GroupName"] = "open", ["MediaArray"] = Group(open) },
                    new JsonObject { ["GroupName"] = "body", ["MediaArray"] = Group(body) },
                    new JsonObject { ["GroupName"] = "end", ["MediaArray"] = Group(end) }),
                ["SpeechTextArray"] = new JsonArray(Scripts.Select(s => (JsonNode)s!).ToArray()),
            },
            ["EditingConfig"] = new JsonObject { ["SpeechConfig"] = new JsonObject { ["Voice"] = "andy" } },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "batch/video_{index}.mp4", ["Count"] = count, ["Width"] = 320, ["Height"] = 568, ["Fps"] = 25 },
            ["Seed"] = 7,
        };
    }

    private static JsonObject Preview(JsonObject request)
    {
        var copy = request.DeepClone().AsObject();
        copy["OutputConfig"]!["GeneratePreviewOnly"] = true;
        return copy;
    }

    /// <summary>The clips a timeline shows, in order (medium and source start), as one comparable string.</summary>
    private static string ClipSequence(JsonElement timeline) => string.Join(" | ",
        timeline.GetProperty("VideoTracks").EnumerateArray().SelectMany(t => t.GetProperty("VideoTrackClips").EnumerateArray())
            .Select(c => $"{c.GetProperty("MediaURL").GetString()}@{(c.TryGetProperty("In", out var i) ? i.GetDouble() : 0):0.###}"));

    [Fact]
    public async Task Ten_script_to_video_outputs_render_with_the_length_of_their_voice_over_all_scripts_used_and_no_two_alike()
    {
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var request = Request(10);
        var (previewStatus, preview) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", Preview(request).ToJsonString());
        previewStatus.Should().Be(200, preview.ToString());
        var planned = preview.GetProperty("Outputs").EnumerateArray().ToList();

        var (status, submitted) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", request.ToJsonString());
        status.Should().Be(200, submitted.ToString());
        submitted.GetProperty("Mode").GetString().Should().Be("Script-to-Video, Global Scripts");
        var jobId = submitted.GetProperty("JobId").GetString()!;
        var done = await api.WaitAsync(jobId, TimeSpan.FromMinutes(3), () => node.Log);
        done.GetProperty("Status").GetString().Should().Be("Success", node.Log);

        var (_, got) = await api.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        var job = got.GetProperty("EditingBatchJob");
        job.GetProperty("ModeReason").GetString().Should().Contain("SpeechTextArray holds 3 scripts");
        var subJobs = job.GetProperty("SubJobList").EnumerateArray().ToList();
        subJobs.Should().HaveCount(10);
        planned.Should().HaveCount(10);
        for (var i = 0; i < 10; i++)
        {
            var path = subJobs[i].GetProperty("MediaURL").GetString()!;
            subJobs[i].GetProperty("Status").GetString().Should().Be("Success");
            path.Should().EndWith($"video_{i + 1}.mp4");
            ClipSequence(subJobs[i].GetProperty("Timeline")).Should().Be(ClipSequence(planned[i].GetProperty("Timeline")), "the preview plans what is rendered");
            var voiceOver = planned[i].GetProperty("VoiceOver").EnumerateArray().Single();
            var spokenEnd = voiceOver.GetProperty("TimelineIn").GetDouble() + voiceOver.GetProperty("Duration").GetDouble();
            var facts = Inspect.Probe(path);
            (facts.Width, facts.Height).Should().Be((320, 568));
            facts.Duration.Should().BeApproximately(spokenEnd, 0.3, $"video {i + 1} lasts as long as its voice-over");
            facts.Duration.Should().BeApproximately(planned[i].GetProperty("Duration").GetDouble(), 0.3);
            Inspect.MeanVolume(path).Should().BeGreaterThan(-40, "the voice-over is heard");
        }
        planned.Select(p => p.GetProperty("VoiceOver")[0].GetProperty("Text").GetString()).Distinct().Should().BeEquivalentTo(Scripts);
        subJobs.Select(s => ClipSequence(s.GetProperty("Timeline"))).Distinct().Should().HaveCount(10, "no two videos show the same clips in the same order");
    }

    /// <summary>Segmented Scripts: each group's clips have colours of their own, so a frame tells which group it shows.</summary>
    private static readonly (string Name, string[] Colours, string[] Texts, double? Duration)[] Segments =
    [
        ("welcome", ["red", "yellow"], ["Welcome to our bakery."], null),
        ("bread", ["blue", "cyan"], ["Bread is baked fresh every morning.", "Our coffee is roasted in house."], null),
        ("goodbye", ["white"], [], 2),
    ];

    private static readonly Dictionary<string, (int R, int G, int B)> Rgb = new()
    {
        ["red"] = (255, 0, 0), ["yellow"] = (255, 255, 0), ["blue"] = (0, 0, 255), ["cyan"] = (0, 255, 255), ["white"] = (255, 255, 255),
    };

    [Fact]
    public async Task Segmented_scripts_render_each_group_in_order_showing_only_its_own_media_while_its_text_is_spoken()
    {
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var groups = new JsonArray(Segments.Select(g =>
        {
            var group = new JsonObject
            {
                ["GroupName"] = g.Name,
                ["MediaArray"] = new JsonArray(g.Colours.Select(c => (JsonNode)_bed.Media.ColourVideo($"{g.Name}_{c}.mp4", c, 3, 320, 568)!).ToArray()),
            };
            if (g.Texts.Length > 0) group["SpeechTextArray"] = new JsonArray(g.Texts.Select(t => (JsonNode)t!).ToArray());
            if (g.Duration is { } d) group["Duration"] = d;
            return (JsonNode)group;
        }).ToArray());
        var request = new JsonObject
        {
            ["InputConfig"] = new JsonObject { ["MediaGroupArray"] = groups },
            ["EditingConfig"] = new JsonObject { ["SpeechConfig"] = new JsonObject { ["Voice"] = "andy" } },
            ["OutputConfig"] = new JsonObject { ["MediaURL"] = "segmented/video_{index}.mp4", ["Count"] = 2, ["Width"] = 320, ["Height"] = 568, ["Fps"] = 25 },
            ["Seed"] = 5,
        };
        var (_, preview) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", Preview(request).ToJsonString());
        var planned = preview.GetProperty("Outputs").EnumerateArray().ToList();
        var (status, submitted) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", request.ToJsonString());
        status.Should().Be(200, submitted.ToString());
        submitted.GetProperty("Mode").GetString().Should().Be("Script-to-Video, Segmented Scripts");
        var jobId = submitted.GetProperty("JobId").GetString()!;
        (await api.WaitAsync(jobId, TimeSpan.FromMinutes(3), () => node.Log)).GetProperty("Status").GetString().Should().Be("Success", node.Log);
        var (_, got) = await api.SendAsync(HttpMethod.Get, $"GetBatchMediaProducingJob?JobId={jobId}");
        var subJobs = got.GetProperty("EditingBatchJob").GetProperty("SubJobList").EnumerateArray().ToList();
        subJobs.Should().HaveCount(2);

        var spokenSecond = new HashSet<string>();
        for (var i = 0; i < 2; i++)
        {
            var video = subJobs[i].GetProperty("MediaURL").GetString()!;
            var voiceOver = planned[i].GetProperty("VoiceOver").EnumerateArray()
                .Select(v => (Text: v.GetProperty("Text").GetString()!, Start: v.GetProperty("TimelineIn").GetDouble(), End: v.GetProperty("TimelineIn").GetDouble() + v.GetProperty("Duration").GetDouble()))
                .ToList();
            voiceOver.Select(v => v.Text).First().Should().Be(Segments[0].Texts[0]);
            Segments[1].Texts.Should().Contain(voiceOver[1].Text, "the second group speaks one of its own texts");
            spokenSecond.Add(voiceOver[1].Text);
            voiceOver.Should().HaveCount(2, "the third group has no voice-over");
            var length = Inspect.Probe(video).Duration;
            length.Should().BeApproximately(voiceOver[1].End + 2, 0.3, "the silent last group lasts its Duration (2 s) after the second group's voice-over");

            // The span of each group: its voice-over, or (the last group) its Duration at the end.
            var spans = new[] { (voiceOver[0].Start, voiceOver[0].End), (voiceOver[1].Start, voiceOver[1].End), (length - 2, length) };
            for (var g = 0; g < Segments.Length; g++)
            {
                foreach (var at in new[] { 0.25, 0.5, 0.75 })
                {
                    var seconds = spans[g].Item1 + at * (spans[g].Item2 - spans[g].Item1);
                    var seen = Inspect.Mean(Inspect.Frame(video, seconds), 10, 60, 60, 60);
                    var nearest = Rgb.MinBy(c => Math.Pow(c.Value.R - seen.R, 2) + Math.Pow(c.Value.G - seen.G, 2) + Math.Pow(c.Value.B - seen.B, 2)).Key;
                    Segments[g].Colours.Should().Contain(nearest, "video {0} at {1:0.00} s is in group '{2}' and shows only its media", i + 1, seconds, Segments[g].Name);
                }
            }
        }
        spokenSecond.Should().HaveCount(2, "the two outputs take the second group's two texts in turn");
    }

    [Fact]
    public async Task A_preview_of_100_outputs_stores_nothing_and_farm_renders_its_timelines()
    {
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var previewRequest = Preview(Request(100)).ToJsonString();
        var (status, preview) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", previewRequest);

        status.Should().Be(200, preview.ToString());
        preview.GetProperty("Outputs").GetArrayLength().Should().Be(100);
        var (_, list) = await api.SendAsync(HttpMethod.Get, "ListBatchMediaProducingJobs");
        list.GetProperty("EditingBatchJobList").GetArrayLength().Should().Be(0, "a preview stores nothing to render");

        // The CLI writes the same plan as files `farm render` takes.
        var file = Path.Combine(_bed.Dir.Path, "request.json");
        File.WriteAllText(file, Request(3).ToJsonString());
        var dir = Path.Combine(_bed.Dir.Path, "preview");
        var (exit, stdout, stderr) = Farm("batch", "submit", file, "--preview", dir, "--gateway", node.Url);
        exit.Should().Be(0, stderr);
        stderr.Should().Contain("mode: Script-to-Video, Global Scripts");
        var files = Directory.GetFiles(dir, "*.json").Order().ToList();
        files.Select(Path.GetFileName).Should().Equal("output_001.json", "output_002.json", "output_003.json");
        System.Text.Encoding.UTF8.GetString(stdout).Should().Contain(files[0]);
        var rendered = Path.Combine(_bed.Dir.Path, "first.mp4");
        var render = Farm("render", files[0], "-o", rendered, "-q");
        render.Exit.Should().Be(0, render.Stderr);
        var facts = Inspect.Probe(rendered);
        (facts.Width, facts.Height).Should().Be((320, 568));
        facts.Duration.Should().BeApproximately(preview.GetProperty("Outputs")[0].GetProperty("Duration").GetDouble(), 0.3,
            "the same request and seed plan the same first output");
    }

    [Fact]
    public async Task An_image_text_matching_preview_speaks_each_sentence_and_lasts_as_long_as_the_voice_over()
    {
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        var request = Request(2);
        var (open, body, end) = _clips!.Value;
        request["InputConfig"] = new JsonObject
        {
            ["MediaArray"] = new JsonArray(open.Concat(body).Concat(end).Select(c => (JsonNode)c!).ToArray()),
            ["SpeechTextArray"] = new JsonArray("Fresh bread every morning. Coffee roasted in house."),
        };

        var (status, preview) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", Preview(request).ToJsonString());

        status.Should().Be(200, preview.ToString());
        preview.GetProperty("Mode").GetString().Should().Be("Image-Text Matching, Global Scripts");
        foreach (var output in preview.GetProperty("Outputs").EnumerateArray())
        {
            var sentences = output.GetProperty("VoiceOver").EnumerateArray().ToList();
            sentences.Select(s => s.GetProperty("Text").GetString()).Should().Equal("Fresh bread every morning.", "Coffee roasted in house.");
            var last = sentences[^1];
            output.GetProperty("Duration").GetDouble().Should().BeApproximately(
                last.GetProperty("TimelineIn").GetDouble() + last.GetProperty("Duration").GetDouble(), 0.3);
        }
    }

    [Fact]
    public async Task Invalid_requests_are_refused_with_400_naming_the_field_and_nothing_is_stored()
    {
        using var node = await FarmNodeProcess.StartAsync("solo", "gateway,cpu", _bed.Environment("solo"));
        using var api = new FarmApi(node.Url, FarmTestBed.Token);
        foreach (var (change, field) in new (Action<JsonObject>, string)[]
        {
            (r => r["OutputConfig"]!["Count"] = 0, "OutputConfig.Count"),
            (r => r["OutputConfig"]!["Count"] = 101, "OutputConfig.Count"),
            (r => r["EditingConfig"]!["SpeechConfig"]!["Voice"] = "nobody", "EditingConfig.SpeechConfig.Voice"),
            (r => r["OutputConfig"]!["FixedDuration"] = 10, "OutputConfig.FixedDuration"),
        })
        {
            var request = Request(3);
            change(request);
            var (status, body) = await api.SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", request.ToJsonString());
            status.Should().Be(400, body.ToString());
            body.GetProperty("Field").GetString().Should().Be(field);
        }
        var (_, list) = await api.SendAsync(HttpMethod.Get, "ListBatchMediaProducingJobs");
        list.GetProperty("EditingBatchJobList").GetArrayLength().Should().Be(0);
        Directory.Exists(Path.Combine(_bed.Outputs, "batch")).Should().BeFalse("nothing was rendered");
    }

    /// <summary>The `farm` CLI, allowed to read the generated media (as an operator would set RENDERFARM_ALLOWED_ROOTS).</summary>
    private (int Exit, byte[] Stdout, string Stderr) Farm(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "farm.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["RENDERFARM_ALLOWED_ROOTS"] = _bed.Media.Directory;
        start.Environment["RENDERFARM_OPERATOR_TOKEN"] = FarmTestBed.Token;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        return (process.ExitCode, stdout.ToArray(), stderr.Result);
    }
}
