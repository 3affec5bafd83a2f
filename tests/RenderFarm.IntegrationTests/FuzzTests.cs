using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport.Farm;
using RenderFarm.TestSupport.Fuzz;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// The HTTP fuzz of the hardening issue: 2,000 seeded mutants of valid requests sent to a real node, as a careless
/// or hostile client would. Whatever arrives, the answer is a 2xx or a 4xx with IMS error JSON, and it comes soon.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20261207;
    private const int Concurrency = 8;
    private static readonly TimeSpan Slowest = TimeSpan.FromSeconds(10);

    private sealed record Answer(string Route, Mutant Mutant, int Status, string Body, TimeSpan Took);

    [Fact]
    public async Task Two_thousand_mutated_requests_get_no_5xx_and_every_refusal_is_IMS_error_JSON()
    {
        using var bed = new FarmTestBed();
        // Real, tiny media inside the allowed root, so that a good share of the mutants is admitted (and stored) and
        // the rest is refused for what the mutation did, not for a missing file.
        var clip = bed.Media.ColourVideo("fuzz-a.mp4", "teal", 1, 160, 90);
        var pattern = bed.Media.PatternVideo("fuzz-b.mp4", 1, 160, 90, toneHz: 440);
        var image = bed.Media.ColourImage("fuzz-c.png", "navy", 160, 90);
        var music = bed.Media.Tone("fuzz-d.m4a", 330, 1);
        var env = bed.Environment("fuzz");
        // The fuzz measures answers, not the limiter. A gateway alone accepts jobs (they wait for a worker that never
        // comes), so nothing renders and the two cores serve requests only.
        env["RENDERFARM_RATE_LIMIT"] = "0";
        using var node = await FarmNodeProcess.StartAsync("fuzz", "gateway", env);
        using var api = new FarmApi(node.Url, FarmTestBed.Token);

        var singles = ProducingJobSeeds(clip, pattern, image, music);
        var batches = BatchSeeds(clip, pattern, image, music);
        var known = await api.SubmitAsync(singles[0]);
        var reads = new[] { $$"""{"JobId":"{{known}}"}""", """{"Status":"Success","MaxResults":5,"StartTime":"2026-01-01T00:00:00Z"}""" };

        var requests = RequestMutations.GenerateMutants(Seed, 1000, singles).Select(m => ("SubmitMediaProducingJob", HttpMethod.Post, m))
            .Concat(RequestMutations.GenerateMutants(Seed + 1, 600, batches).Select(m => ("SubmitBatchMediaProducingJob", HttpMethod.Post, m)))
            .Concat(RequestMutations.GenerateMutants(Seed + 2, 200, reads).Select(m => (m.SeedIndex == 0 ? "GetMediaProducingJob" : "ListMediaProducingJobs", HttpMethod.Post, m)))
            .Concat(QueryMutants(Seed + 3, 200, known).Select(m => (m.Mutations, HttpMethod.Get, m)));

        var answers = new ConcurrentBag<Answer>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken },
            async (request, ct) =>
            {
                var (route, method, mutant) = request;
                var path = method == HttpMethod.Get ? mutant.Body : route;
                var content = method == HttpMethod.Post ? new StringContent(mutant.Body, Encoding.UTF8, "application/json") : null;
                var took = Stopwatch.StartNew();
                try
                {
                    var (status, body) = await api.SendRawAsync(method, path, content);
                    answers.Add(new Answer(route.Split('?')[0], mutant, status, body, took.Elapsed));
                }
                catch (TaskCanceledException)
                {
                    answers.Add(new Answer(route.Split('?')[0], mutant, 0, "no answer within the client's 30 s", took.Elapsed)); // a hang
                }
            });

        var summary = answers.GroupBy(a => a.Route).OrderBy(g => g.Key).Select(g =>
            $"{g.Key}: {g.Count()} requests, " + string.Join(", ", g.GroupBy(a => a.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Count()}")) +
            $"; slowest {g.Max(a => a.Took).TotalMilliseconds:0} ms");
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {Seed}, {answers.Count} requests in {clock.Elapsed.TotalSeconds:0.0} s at {Concurrency} at a time\n" + string.Join("\n", summary));

        var failures = answers.Select(a => (Answer: a, Why: Fault(a))).Where(f => f.Why is not null)
            .OrderBy(f => f.Answer.Route).ThenBy(f => f.Answer.Mutant.Number)
            .Select(f => $"{f.Answer.Route} answered {f.Answer.Status} in {f.Answer.Took.TotalMilliseconds:0} ms: {f.Why}\n{Mutant.Escape(f.Answer.Body, 500)}\n{f.Answer.Mutant}")
            .ToList();
        failures.Count.Should().Be(0, "no mutant gets a 5xx, a hang or a refusal that is not IMS error JSON; the first of them:\n{0}\nnode log (end):\n{1}",
            string.Join("\n\n", failures.Take(5)), node.Log.Length > 4000 ? node.Log[^4000..] : node.Log);
        answers.Should().HaveCount(2000);
        foreach (var route in new[] { "SubmitMediaProducingJob", "SubmitBatchMediaProducingJob", "GetMediaProducingJob", "ListMediaProducingJobs" })
        {
            answers.Where(a => a.Route == route).Should().Contain(a => a.Status == 200, "{0}: some mutants are still valid requests (the seeds reach past the parser)", route)
                .And.Contain(a => a.Status >= 400, "{0}: some mutants are refused", route);
        }
    }

    /// <summary>Why an answer is wrong, or null.</summary>
    private static string? Fault(Answer a)
    {
        if (a.Status == 0 || a.Took > Slowest) return $"took {a.Took.TotalSeconds:0.0} s (at most {Slowest.TotalSeconds:0} s)";
        if (a.Status >= 500) return "a server error";
        try
        {
            var json = JsonDocument.Parse(a.Body).RootElement;
            if (a.Status is >= 200 and < 300) return json.ValueKind == JsonValueKind.Object ? null : "a 2xx whose body is not a JSON object";
            if (json.ValueKind != JsonValueKind.Object) return "the error is not a JSON object";
            if (!json.TryGetProperty("Code", out var code) || code.ValueKind != JsonValueKind.String || code.GetString()!.Length == 0) return "no Code";
            if (!json.TryGetProperty("Message", out var message) || message.ValueKind != JsonValueKind.String || message.GetString()!.Length == 0) return "no Message";
            if (message.GetString()!.Contains('\n') || message.GetString()!.Contains('\r')) return "a Message of several lines";
            if (!json.TryGetProperty("Field", out var field) || field.ValueKind != JsonValueKind.String) return "no Field";
            return null;
        }
        catch (JsonException e)
        {
            return $"the body is not JSON ({e.Message})";
        }
    }

    private static string Text(string json) => JsonSerializer.Serialize(json);

    /// <summary>Tiny, valid SubmitMediaProducingJob bodies over the real media: each form the API takes.</summary>
    private static List<string> ProducingJobSeeds(string clip, string pattern, string image, string music)
    {
        var timeline = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}","In":0,"Out":1}]}]}""";
        return
        [
            // The IMS form: Timeline and OutputMediaConfig as JSON text.
            $$"""{"Timeline":{{Text(timeline)}},"OutputMediaConfig":{{Text("""{"Width":256,"Height":144}""")}},"UserData":"{\"k\":\"v\"}"}""",
            $$"""
            {"Timeline":{
               "VideoTracks":[
                 {"VideoTrackClips":[
                   {"MediaURL":"{{clip}}","In":0,"Out":1,"ClipId":"a","Effects":[{"Type":"Volume","Gain":0.5},{"Type":"Transition","SubType":"fade","Duration":0.2}]},
                   {"MediaURL":"{{image}}","Type":"Image","Duration":1,"X":0.1,"Y":0.1,"Width":0.5,"Height":0.5,"AdaptMode":"Contain"}]},
                 {"VideoTrackClips":[{"MediaURL":"{{image}}","Type":"GlobalImage","X":0.8,"Y":0.05,"Width":0.15,"Height":0.1}]}],
               "AudioTracks":[{"AudioTrackClips":[{"MediaURL":"{{music}}","In":0,"Out":1,"Effects":[{"Type":"Volume","Gain":0.3}]}]}],
               "SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"Title","TimelineIn":0,"TimelineOut":1,"FontSize":20,"FontColor":"#FFFFFF","Alignment":"TopCenter"}]}]},
             "OutputMediaConfig":{"Width":256,"Height":144,"Fps":25},
             "Seed":3}
            """,
            $$$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{{pattern}}}","TimelineIn":0,"TimelineOut":1}]}]},"OutputMediaConfig":{"MediaURL":"fuzz/single.mp4","Width":256,"Height":144}}""",
            // A bare Timeline is refused (the field is required): its mutants probe the refusal paths.
            timeline,
        ];
    }

    /// <summary>SubmitBatchMediaProducingJob bodies: ready Timelines (objects and JSON text) and InputConfig plans without speech or with one short line.</summary>
    private static List<string> BatchSeeds(string clip, string pattern, string image, string music)
    {
        var timeline = $$"""{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{clip}}","In":0,"Out":1}]}]}""";
        var input = $$"""{"MediaGroupArray":[{"GroupName":"a","MediaArray":["{{clip}}"]}],"SpeechTextArray":["Hi."]}""";
        return
        [
            "{\"Timelines\":[" + timeline + "," + Text(timeline.Replace(clip, pattern, StringComparison.Ordinal)) + "],\"OutputConfig\":{\"Width\":256,\"Height\":144,\"Fps\":25}}",
            $$"""
            {"InputConfig":{"MediaGroupArray":[{"GroupName":"a","MediaArray":["{{clip}}","{{image}}"]},{"GroupName":"b","MediaArray":["{{pattern}}"]}],
                            "TitleArray":["Fuzz"],"BackgroundMusicArray":["{{music}}"]},
             "EditingConfig":{"ProcessConfig":{"SingleShotDuration":1} },
             "OutputConfig":{"Count":2,"Width":256,"Height":144,"FixedDuration":1},
             "Seed":7}
            """,
            "{\"InputConfig\":" + Text(input) + ",\"EditingConfig\":\"{\\\"SpeechConfig\\\":{\\\"Voice\\\":\\\"andy\\\"}}\"," +
                "\"OutputConfig\":{\"Count\":1,\"Width\":256,\"Height\":144,\"GeneratePreviewOnly\":true}}",
        ];
    }

    private static readonly string[] QueryValues =
    [
        "", "x", "-1", "0", "1", "100", "101", "2147483648", "1e999", "NaN", "%00", "%0A", "%FF", "%ED%A0%80", "%F0%9F%98%80",
        "Success", "success", "Failed,Success", "../../etc/passwd", "2026-11-21T10:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01",
        "not-a-date", "AAAA", "eyJhIjoxfQ", "%22%7B%7D", new string('x', 5000), "a%20b", "+", "%2B", "=", "&",
    ];

    /// <summary>GETs of the read routes with odd query strings (repeated keys, odd case, encodings, huge values); Mutations names the route.</summary>
    private static IEnumerable<Mutant> QueryMutants(int seed, int count, string known)
    {
        var random = new Random(seed);
        string[] names = ["JobId", "jobid", "Status", "MaxResults", "StartTime", "EndTime", "NextToken", "Action", "", "JobId[]"];
        for (var i = 0; i < count; i++)
        {
            var route = i % 2 == 0 ? "GetMediaProducingJob" : "ListMediaProducingJobs";
            var parameters = Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
            {
                var name = names[random.Next(names.Length)];
                var value = random.Next(8) == 0 ? known : QueryValues[random.Next(QueryValues.Length)];
                return $"{name}={value}";
            });
            yield return new Mutant(i, -1, route, $"{route}?{string.Join("&", parameters)}");
        }
    }
}
