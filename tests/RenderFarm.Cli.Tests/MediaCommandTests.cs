using FluentAssertions;
using RenderFarm.Cluster.Library;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.ReadModel;
using RenderFarm.Core.Library;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>`farm media add|list|show|search` against an embedded farm node.</summary>
public sealed class MediaCommandTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataDirectory => Path.Combine(_dir.Path, "node");

    private Dictionary<string, string> NodeEnvironment(string media) => new()
    {
        ["RENDERFARM_DATA_DIR"] = DataDirectory,
        ["RENDERFARM_OPERATOR_TOKEN"] = FarmProcess.Token,
        ["RENDERFARM_ARTIFACTS"] = Path.Combine(_dir.Path, "artifacts"),
        ["RENDERFARM_OUTPUT_DIR"] = Path.Combine(_dir.Path, "outputs"),
        ["RENDERFARM_ALLOWED_ROOTS"] = media,
        ["RENDERFARM_CACHE_DIR"] = Path.Combine(_dir.Path, "node", "cache"),
    };

    [Fact]
    public async Task Add_prints_the_MediaId_once_per_file_and_list_shows_the_entry()
    {
        var media = new TestMedia(_dir.File("media"));
        var clip = media.ColourVideo("harbour.mp4", "navy", 1);
        using var node = await FarmNodeProcess.StartAsync("lib", "gateway", NodeEnvironment(media.Directory));

        var added = FarmProcess.Run(_dir.Path, "media", "add", clip, "--title", "Harbour at dusk", "--tags", "sea,boats", "--gateway", node.Url);
        var again = FarmProcess.Run(_dir.Path, "media", "add", clip, "--gateway", node.Url);
        var list = FarmProcess.Run(_dir.Path, "media", "list", "--gateway", node.Url);

        added.ExitCode.Should().Be(0, added.Stderr + node.Log);
        var mediaId = added.Stdout.Trim();
        mediaId.Should().MatchRegex("^[0-9a-f]{32}$");
        again.ExitCode.Should().Be(0, again.Stderr);
        again.Stdout.Trim().Should().Be(mediaId);
        again.Stderr.Should().Contain($"already registered as {mediaId}");
        list.ExitCode.Should().Be(0, list.Stderr);
        var row = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Subject.Split('\t');
        row[0].Should().Be(mediaId);
        row[1].Should().Be("Analysing", "no node with the cpu role runs its analyse task");
        row[2..].Should().Equal("video", "Harbour at dusk", clip);
    }

    [Fact]
    public async Task Add_with_wait_has_a_worker_analyse_the_clip_and_show_and_search_find_the_words_on_screen()
    {
        var media = new TestMedia(_dir.File("media"));
        var clip = Path.Combine(media.Directory, "coast.mp4");
        var font = System.Text.Encoding.UTF8.GetString(Tool.Run("fc-match", "-f", "%{file}", "DejaVu Sans:bold").Stdout);
        string Shot(string colour, string word) =>
            $"color=c={colour}:s=640x360:r=25:d=2,drawtext=fontfile={font}:text={word}:fontsize=64:fontcolor=white:x=(w-tw)/2:y=(h-th)/2";
        Tool.Ffmpeg("-f", "lavfi", "-i", Shot("navy", "HARBOUR"), "-f", "lavfi", "-i", Shot("maroon", "LIGHTHOUSE"),
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip);
        using var node = await FarmNodeProcess.StartAsync("lib", "gateway,cpu", NodeEnvironment(media.Directory));

        var added = FarmProcess.Run(_dir.Path, "media", "add", clip, "--title", "Coast", "--wait", "--gateway", node.Url);
        var mediaId = added.Stdout.Trim();
        var show = FarmProcess.Run(_dir.Path, "media", "show", mediaId, "--gateway", node.Url);
        var search = FarmProcess.Run(_dir.Path, "media", "search", "the lighthouse", "--gateway", node.Url);

        added.ExitCode.Should().Be(0, added.Stderr + node.Log);
        show.Stdout.Split('\n').Should().Contain("Status:      Normal").And.Contain("Shots:       2");
        show.Stdout.Split('\n').Should().Contain(l => l.StartsWith("  1      0.00      2.00  HARBOUR"), show.Stdout);
        show.Stdout.Split('\n').Should().Contain(l => l.StartsWith("  2      2.00      4.00  LIGHTHOUSE"), show.Stdout);
        search.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Split('\t')[1..].Should().Equal(mediaId, "2.00-4.00", "Coast");
    }

    [Fact]
    public async Task Bad_input_exits_2_with_one_line_naming_the_field()
    {
        var media = new TestMedia(_dir.File("media"));
        var clip = media.ColourImage("a.png", "red");
        var outside = new TestMedia(_dir.File("elsewhere")).ColourImage("b.png", "blue");
        using var node = await FarmNodeProcess.StartAsync("lib", "gateway", NodeEnvironment(media.Directory));

        var longTitle = FarmProcess.Run(_dir.Path, "media", "add", clip, "--title", new string('t', 129), "--gateway", node.Url);
        var tooManyTags = FarmProcess.Run(_dir.Path, "media", "add", clip, "--tags", string.Join(",", Enumerable.Range(0, 17)), "--gateway", node.Url);
        var refused = FarmProcess.Run(_dir.Path, "media", "add", outside, "--wait", "--gateway", node.Url);
        var missing = FarmProcess.Run(_dir.Path, "media", "show", "0123456789abcdef0123456789abcdef", "--gateway", node.Url);

        longTitle.ExitCode.Should().Be(2);
        longTitle.Errors.Should().ContainSingle().Which.Should().Be("error: Title: at most 128 characters are allowed (got 129)");
        tooManyTags.ExitCode.Should().Be(2);
        tooManyTags.Errors.Should().ContainSingle().Which.Should().Be("error: Tags: at most 16 tags are allowed (got 17)");
        refused.ExitCode.Should().Be(2);
        refused.Errors.Should().ContainSingle().Which.Should().StartWith("error: InputURL: ");
        missing.ExitCode.Should().Be(2);
        missing.Errors.Should().ContainSingle().Which.Should().Be("error: MediaId: '0123456789abcdef0123456789abcdef' was not found");
        FarmProcess.Run(_dir.Path, "media", "list", "--gateway", node.Url).Stdout.Should().BeEmpty("nothing refused was stored");
    }

    [Fact]
    public async Task Show_prints_the_shots_and_search_ranks_analysed_media()
    {
        var media = new TestMedia(_dir.File("media"));
        var city = media.ColourVideo("city.mp4", "gray", 1);
        var panda = media.ColourVideo("panda.mp4", "green", 1);
        await SeedAsync("c1", city, "City at night", ["neon"], new MediaAnalysis(9, 1280, 720, true,
            [Shot(0, 4, "OPEN 24 HOURS", "welcome to the city"), Shot(4, 9, "", "the lights never sleep")], "welcome to the city the lights never sleep", Grey));
        await SeedAsync("p1", panda, "大熊猫", ["成都"], new MediaAnalysis(5, 640, 360, false,
            [Shot(0, 2, "成都大熊猫繁育研究基地", null), Shot(2, 5, "熊猫宝宝正在睡觉", null)], null, Grey));
        using var node = await FarmNodeProcess.StartAsync("lib", "gateway", NodeEnvironment(media.Directory));

        var show = FarmProcess.Run(_dir.Path, "media", "show", "c1", "--gateway", node.Url);
        var english = FarmProcess.Run(_dir.Path, "media", "search", "lights sleeping", "--gateway", node.Url);
        var chinese = FarmProcess.Run(_dir.Path, "media", "search", "熊猫睡觉", "--gateway", node.Url);
        var none = FarmProcess.Run(_dir.Path, "media", "search", "volcano", "--gateway", node.Url);

        show.ExitCode.Should().Be(0, show.Stderr + node.Log);
        var lines = show.Stdout.Split('\n');
        lines.Should().Contain("Status:      Normal").And.Contain("Title:       City at night").And.Contain("Tags:        neon")
            .And.Contain("Duration:    9.00 s, 1280x720, with audio").And.Contain("Shots:       2");
        lines.Should().Contain(l => l.StartsWith("  1      0.00      4.00  OPEN 24 HOURS") && l.EndsWith("welcome to the city"));
        lines.Should().Contain(l => l.StartsWith("  2      4.00      9.00") && l.EndsWith("the lights never sleep"));
        english.ExitCode.Should().Be(0, english.Stderr);
        english.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Split('\t')[1..].Should().Equal("c1", "4.00-9.00", "City at night");
        chinese.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Split('\t')[1..].Should().Equal("p1", "2.00-5.00", "大熊猫");
        none.ExitCode.Should().Be(0);
        none.Stdout.Should().BeEmpty();
        none.Stderr.Should().Contain("no media match");
    }

    [Fact]
    public async Task The_API_answers_RPC_style_calls_and_deletes_entries()
    {
        var media = new TestMedia(_dir.File("media"));
        var image = media.ColourImage("menu.png", "red");
        using var node = await FarmNodeProcess.StartAsync("lib", "gateway", NodeEnvironment(media.Directory));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", FarmProcess.Token);

        var registered = await Json(await http.PostAsync($"{node.Url}/?Action=RegisterMediaInfo&InputURL={Uri.EscapeDataString(image)}&Tags=menu,tea", null, Ct));
        var mediaId = registered.GetProperty("MediaId").GetString()!;
        var info = (await Json(await http.GetAsync($"{node.Url}/?Action=GetMediaInfo&MediaId={mediaId}", Ct))).GetProperty("MediaInfo").GetProperty("MediaBasicInfo");
        var deleted = await Json(await http.PostAsync($"{node.Url}/DeleteMediaInfos",
            new StringContent($$"""{"MediaIds":"{{mediaId}},ffffffffffffffffffffffffffffffff"}""", System.Text.Encoding.UTF8, "application/json"), Ct));
        var gone = await http.GetAsync($"{node.Url}/GetMediaInfo?MediaId={mediaId}", Ct);

        (info.GetProperty("MediaType").GetString(), info.GetProperty("Tags").GetString(), info.GetProperty("Status").GetString())
            .Should().Be(("image", "menu,tea", "Analysing"));
        deleted.GetProperty("DeletedList").EnumerateArray().Select(e => e.GetString()).Should().Equal(mediaId);
        deleted.GetProperty("IgnoredList").EnumerateArray().Select(e => e.GetString()).Should().Equal("ffffffffffffffffffffffffffffffff");
        ((int)gone.StatusCode).Should().Be(404);
        (await Json(gone)).GetProperty("Field").GetString().Should().Be("MediaId");
    }

    private static async Task<System.Text.Json.JsonElement> Json(HttpResponseMessage response) =>
        System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    private static readonly VisualStats Grey = new(128, 0, "#808080");

    private static AnalysedShot Shot(double from, double to, string ocr, string? speech) => new(from, to, $"shot_{from:0}.jpg", ocr, speech, Grey);

    /// <summary>
    /// An analysed entry written into the node's read model before it starts, as a worker would have left it:
    /// the entry's row with its analysis, and the rows its analysis job's entity projected once the job succeeded.
    /// </summary>
    private async Task SeedAsync(string id, string url, string title, string[] tags, MediaAnalysis analysis)
    {
        await using var store = ReadModelStore.Sqlite(Path.Combine(DataDirectory, "renderfarm.db"));
        await store.InitializeAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        var submit = MediaAnalysisPlanner.Job(id, url, "{}");
        await store.RegisterMediaAsync(new LibraryEntry(id, url, "video", title, null, tags, MediaState.Analysing, null, 0, now, now, submit.JobId, null), Ct);
        var lifecycle = new JobLifecycle(new LifecycleOptions());
        var job = JobState.Empty(submit.JobId);
        void Do(IJobCommand command) => job = lifecycle.Decide(job, command, now).Events.Aggregate(job, JobLifecycle.Apply);
        Do(submit);
        var task = MediaAnalysisPlanner.Task(submit.Videos[0]);
        Do(new StagePrepared(submit.JobId, submit.Videos[0].VideoId, VideoStage.Analyse, [task], null, null));
        Do(new ClaimTask(submit.JobId, task.TaskId, 1, "seed", "seed-uid", "akka.tcp://farm@127.0.0.1:4053"));
        Do(new ReportTaskSucceeded(submit.JobId, task.TaskId, 1, "seed", false, "analysed"));
        job.Status.Should().Be(JobStatus.Success);
        await store.ProjectAsync([ProjectionRows.Of(job, null, null, 0)], Ct);
        await store.SaveAnalysisAsync(id, analysis, Path.Combine(_dir.Path, "artifacts", id), Ct);
    }
}
