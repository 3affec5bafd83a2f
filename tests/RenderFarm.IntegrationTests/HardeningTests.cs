using System.Text;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using RenderFarm.TestSupport;
using RenderFarm.TestSupport.Farm;
using Xunit;

namespace RenderFarm.IntegrationTests;

/// <summary>One embedded node that every hardening test of the gateway probes, as an attacker or a heavy user would.</summary>
public sealed class HardenedNode : IAsyncLifetime
{
    public FarmTestBed Bed { get; } = new();
    public FarmNodeProcess Node { get; private set; } = null!;
    public FarmApi Api { get; private set; } = null!;
    public string Clip { get; private set; } = "";
    public string DataDirectory => Bed.Environment("guard")["RENDERFARM_DATA_DIR"];

    public async ValueTask InitializeAsync()
    {
        Clip = Bed.Media.ColourVideo("clip.mp4", "teal", 1, 320, 180);
        Node = await FarmNodeProcess.StartAsync("guard", "gateway,cpu", Bed.Environment("guard"));
        Api = new FarmApi(Node.Url, FarmTestBed.Token);
    }

    public ValueTask DisposeAsync()
    {
        Api.Dispose();
        Node.Dispose();
        Bed.Dispose();
        return ValueTask.CompletedTask;
    }

    public string Request(string output = "", string clip = "", string extra = "") =>
        $$"""{"Timeline":{"VideoTracks":[{"VideoTrackClips":[{"MediaURL":"{{(clip.Length > 0 ? clip : Clip)}}"}]}]},"OutputMediaConfig":{{{(output.Length > 0 ? $"\"MediaURL\":\"{output}\"," : "")}}"Width":320,"Height":180}{{extra}}}""";

    /// <summary>Jobs the read model holds (what a refused request must not add to).</summary>
    public long StoredJobs()
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "renderfarm.db")};Mode=ReadOnly");
        db.Open();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT count(*) FROM jobs";
        return (long)count.ExecuteScalar()!;
    }
}

/// <summary>
/// Each measured failure of the hardening probe, asserted the other way round: bad input is a 4xx with IMS error
/// JSON naming the field and nothing is stored; outputs are owned; limits and credentials hold.
/// </summary>
public sealed class HardeningTests(HardenedNode farm) : IClassFixture<HardenedNode>
{
    private FarmApi Api => farm.Api;

    private static JsonElement Error(int status, string body, params int[] expected)
    {
        status.Should().BeOneOf(expected, body);
        body.Should().NotBeNullOrWhiteSpace("an error always has a body");
        var json = JsonDocument.Parse(body).RootElement;
        json.GetProperty("Code").GetString().Should().NotBeNullOrEmpty();
        json.GetProperty("Message").GetString().Should().NotBeNullOrEmpty().And.NotContain("\n");
        return json;
    }

    private Task<(int Status, string Body)> Submit(string body) =>
        Api.SendRawAsync(HttpMethod.Post, "SubmitMediaProducingJob", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_220_character_output_name_is_a_400_naming_the_field_and_a_later_job_still_renders()
    {
        var before = farm.StoredJobs();
        var (status, body) = await Submit(farm.Request(output: new string('n', 220) + ".mp4"));
        Error(status, body, 400).GetProperty("Field").GetString().Should().Be("OutputMediaConfig.MediaURL");
        farm.StoredJobs().Should().Be(before, "a refused request stores nothing");

        var good = await Api.SubmitAsync(farm.Request());
        (await Api.WaitAsync(good, TimeSpan.FromMinutes(2), () => farm.Node.Log)).GetProperty("Status").GetString().Should().Be("Success");
    }

    [Fact]
    public async Task A_template_is_added_read_listed_used_by_TemplateId_and_ClipsParam_and_deleted_through_the_IMS_actions()
    {
        // IMS sends Config and ClipsParam as JSON text.
        var config = """{"VideoTracks":[{"VideoTrackClips":[{"MediaId":"$Video"}]}],"SubtitleTracks":[{"SubtitleTrackClips":[{"Type":"Text","Content":"$Title","TimelineIn":0,"TimelineOut":1}]}]}""";
        var (status, added) = await Api.SendAsync(HttpMethod.Post, "AddTemplate", JsonSerializer.Serialize(new { Name = "hardening title", Type = "Timeline", Config = config }));
        status.Should().Be(200, added.ToString());
        var id = added.GetProperty("Template").GetProperty("TemplateId").GetString()!;

        var (_, got) = await Api.SendAsync(HttpMethod.Get, $"?Action=GetTemplate&TemplateId={id}");
        var template = got.GetProperty("Template");
        (template.GetProperty("Name").GetString(), template.GetProperty("Status").GetString()).Should().Be(("hardening title", "Available"));
        template.GetProperty("ClipsParam").GetString().Should().Be("""{"Video":"mediaId","Title":"text"}""");
        var (_, listed) = await Api.SendAsync(HttpMethod.Get, "ListTemplates?Keyword=hardening");
        listed.GetProperty("Templates").EnumerateArray().Select(t => t.GetProperty("TemplateId").GetString()).Should().Equal(id);

        var (badStatus, badBody) = await Api.SendRawAsync(HttpMethod.Post, "AddTemplate",
            new StringContent("""{"Name":"bad","Config":"{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"$V\",\"Out\":-1}]}]}"}""", Encoding.UTF8, "application/json"));
        Error(badStatus, badBody, 400).GetProperty("Field").GetString().Should().Be("Config.VideoTracks[0].VideoTrackClips[0].Out");
        var before = farm.StoredJobs();
        var (missingStatus, missingBody) = await Submit(JsonSerializer.Serialize(new { TemplateId = id, ClipsParam = JsonSerializer.Serialize(new { Title = "Hi" }) }));
        Error(missingStatus, missingBody, 400).GetProperty("Field").GetString().Should().Be("ClipsParam.Video");
        farm.StoredJobs().Should().Be(before, "a refused request stores nothing");

        var job = await Api.SubmitAsync(JsonSerializer.Serialize(new
        {
            TemplateId = id,
            ClipsParam = JsonSerializer.Serialize(new { Video = farm.Clip, Title = "Hi" }),
            OutputMediaConfig = new { Width = 320, Height = 180 },
        }));
        var done = await Api.WaitAsync(job, TimeSpan.FromMinutes(2), () => farm.Node.Log);
        done.GetProperty("Status").GetString().Should().Be("Success");
        var output = done.GetProperty("Videos")[0].GetProperty("OutputPath").GetString()!;
        Inspect.Probe(output).Duration.Should().BeApproximately(1, 0.1, "the template's one clip is the 1 s test clip");

        var (_, deleted) = await Api.SendAsync(HttpMethod.Post, "DeleteTemplate", JsonSerializer.Serialize(new { TemplateIds = id }));
        deleted.GetProperty("DeletedList").EnumerateArray().Select(e => e.GetString()).Should().Equal(id);
        (await Api.SendAsync(HttpMethod.Get, $"GetTemplate?TemplateId={id}")).Status.Should().Be(404);
    }

    private const string Clip = "{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"CLIP\"}]}]}";

    public static TheoryData<string, string> Malformed => new()
    {
        // name, body as a client sends it (CLIP stands for the test clip's path)
        { "comments", "{\"Timeline\": /* c */ " + Clip + ", // line\n \"OutputMediaConfig\":{\"Width\":320,\"Height\":180}}" },
        { "trailing commas", "{\"Timeline\":{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"CLIP\"},]},]},\"OutputMediaConfig\":{\"Width\":320,\"Height\":180},}" },
        { "duplicate keys", "{\"Timeline\":" + Clip + ",\"timeline\":{\"VideoTracks\":[]},\"OutputMediaConfig\":{\"Width\":320,\"Height\":180}}" },
        { "lone surrogate", "{\"Timeline\":{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"CLIP\",\"ClipId\":\"\\uD800\"}]}]}}" },
        { "lone surrogate in a name", "{\"Timeline\":{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"CLIP\",\"\\uDC00\":1}]}]}}" },
        { "bad file URL output", "{\"Timeline\":" + Clip + ",\"OutputMediaConfig\":{\"MediaURL\":\"file://[bad\"}}" },
        { "NUL in a media path", "{\"Timeline\":{\"VideoTracks\":[{\"VideoTrackClips\":[{\"MediaURL\":\"CLIP\\u0000.mp4\"}]}]}}" },
        { "NUL in the output", "{\"Timeline\":" + Clip + ",\"OutputMediaConfig\":{\"MediaURL\":\"a\\u0000b.mp4\"}}" },
        { "Timeline as broken JSON text", "{\"Timeline\":\"{\\\"VideoTracks\\\":[\",\"OutputMediaConfig\":\"{}\"}" },
        { "Timeline as JSON text with a lone surrogate", "{\"Timeline\":\"{\\\"VideoTracks\\\":[{\\\"VideoTrackClips\\\":[{\\\"MediaURL\\\":\\\"\\\\uD800\\\"}]}]}\"}" },
        { "deep nesting", "{\"Timeline\":" + new string('[', 5000) + new string(']', 5000) + "}" },
        { "not an object", "[1,2,3]" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_JSON_is_never_a_500_or_an_empty_body(string name, string body)
    {
        var (status, answer) = await Submit(body.Replace("CLIP", farm.Clip, StringComparison.Ordinal));
        status.Should().BeLessThan(500, $"{name}: {answer}");
        answer.Should().NotBeNullOrWhiteSpace(name);
        var json = JsonDocument.Parse(answer).RootElement;
        if (status == 200) json.GetProperty("JobId").GetString().Should().NotBeNullOrEmpty();
        else json.GetProperty("Field").ValueKind.Should().Be(JsonValueKind.String, name);
    }

    [Fact]
    public async Task Timelines_the_machine_cannot_render_are_refused_with_the_limit_named()
    {
        var clip = $$"""{"MediaURL":"{{farm.Clip}}"}""";
        string Track(int clips) => "{\"VideoTrackClips\":[" + string.Join(",", Enumerable.Repeat(clip, clips)) + "]}";
        string Tracks(int tracks, int clips) => "{\"Timeline\":{\"VideoTracks\":[" + string.Join(",", Enumerable.Range(0, tracks).Select(_ => Track(clips))) + "]}}";
        foreach (var (tracks, clips) in new[] { (10, 1000), (100, 1000) })
        {
            var (status, body) = await Submit(Tracks(tracks, clips));
            var error = Error(status, body, 400, 413);
            if (status == 400)
            {
                error.GetProperty("Field").GetString().Should().Be("Timeline");
                error.GetProperty("Message").GetString().Should().Contain("at most 2000");
            }
        }
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_and_a_padded_request_is_stored_compact()
    {
        var padded = farm.Request().Replace(",", "," + new string(' ', 4096));
        var huge = new string(' ', 25 * 1024 * 1024) + farm.Request();
        var before = farm.StoredJobs();
        var (status, body) = await Api.SendRawAsync(HttpMethod.Post, "SubmitMediaProducingJob", new StringContent(huge, Encoding.UTF8, "application/json"));
        Error(status, body, 413).GetProperty("Code").GetString().Should().Be("RequestTooLarge");
        farm.StoredJobs().Should().Be(before);

        var jobId = await Api.SubmitAsync(padded);
        using var db = new SqliteConnection($"Data Source={Path.Combine(farm.DataDirectory, "renderfarm.db")};Mode=ReadOnly");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT length(request_json) FROM jobs WHERE job_id = $id";
        query.Parameters.AddWithValue("$id", jobId);
        var stored = Convert.ToInt64(await query.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        stored.Should().BeGreaterThan(0).And.BeLessThan(farm.Request().Length + 100, "the normalised request is kept, not its padding");
    }

    [Fact]
    public async Task A_job_cannot_name_another_jobs_output()
    {
        var first = await Api.SubmitAsync(farm.Request(output: "owned/film.mp4"));
        var (status, body) = await Submit(farm.Request(output: "owned/film.mp4"));
        var error = Error(status, body, 400);
        error.GetProperty("Field").GetString().Should().Be("OutputMediaConfig.MediaURL");
        error.GetProperty("Message").GetString().Should().Contain(first).And.NotContain(farm.Bed.Outputs);
        (await Api.WaitAsync(first, TimeSpan.FromMinutes(2))).GetProperty("Status").GetString().Should().Be("Success");
        // The same request again with the owner's ClientToken is the same job, not a clash.
        var token = Guid.NewGuid().ToString("N");
        var a = await Api.SubmitAsync(farm.Request(output: "owned/again.mp4", extra: $",\"ClientToken\":\"{token}\""));
        var b = await Api.SubmitAsync(farm.Request(output: "owned/again.mp4", extra: $",\"ClientToken\":\"{token}\""));
        b.Should().Be(a);
    }

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/shadow")]
    [InlineData("../../../../etc/hostname")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("gopher://127.0.0.1/x")]
    [InlineData("missing.mp4")]
    public async Task A_forbidden_or_missing_MediaURL_is_a_400_at_submission_that_shows_no_server_path(string url)
    {
        var before = farm.StoredJobs();
        var (status, body) = await Submit(farm.Request(clip: url));
        var error = Error(status, body, 400);
        error.GetProperty("Field").GetString().Should().Be("Timeline.VideoTracks[0].VideoTrackClips[0].MediaURL");
        var message = error.GetProperty("Message").GetString()!;
        message.Should().NotContain(farm.DataDirectory).And.NotContain(farm.Bed.Media.Directory).And.NotMatchRegex(@"/proc/\d+");
        farm.StoredJobs().Should().Be(before, "nothing is stored for a refused request");
    }

    [Theory]
    [InlineData("POST", "RegisterMediaInfo?InputURL=x.mp4")]
    [InlineData("POST", "DeleteMediaInfos?MediaIds=x")]
    [InlineData("POST", "SubmitMediaProducingJob")]
    [InlineData("POST", "?Action=SubmitBatchMediaProducingJob")]
    [InlineData("GET", "ListMediaProducingJobs")]
    [InlineData("GET", "admin/cluster")]
    public async Task Every_route_but_the_probes_needs_a_credential(string method, string path)
    {
        var (status, body) = await Api.SendRawAsync(new HttpMethod(method), path, credential: "");
        Error(status, body, 401).GetProperty("Field").GetString().Should().Be("Authorization");
        (await Api.SendRawAsync(HttpMethod.Get, "readyz", credential: "")).Status.Should().Be(200);
    }

    [Fact]
    public async Task Keys_have_scopes_are_stored_hashed_and_can_be_revoked()
    {
        var (_, created) = await Api.SendAsync(HttpMethod.Post, "admin/keys", """{"Name":"reader","Scope":"read"}""");
        var key = created.GetProperty("Key").GetString()!;
        var keyId = created.GetProperty("KeyId").GetString()!;
        (await Api.SendRawAsync(HttpMethod.Get, "ListMediaProducingJobs", credential: key)).Status.Should().Be(200);
        var (status, body) = await Api.SendRawAsync(HttpMethod.Post, "SubmitMediaProducingJob", new StringContent(farm.Request()), credential: key);
        Error(status, body, 403).GetProperty("Message").GetString().Should().Contain("needs submit");
        (await Api.SendRawAsync(HttpMethod.Get, "admin/cluster", credential: key)).Status.Should().Be(200, "the operator API's views are reads");
        (await Api.SendRawAsync(HttpMethod.Get, "admin/keys", credential: key)).Status.Should().Be(403);
        (await Api.SendRawAsync(HttpMethod.Post, "admin/jobs/nosuchjob/cancel", credential: key)).Status.Should().Be(403);

        using (var db = new SqliteConnection($"Data Source={Path.Combine(farm.DataDirectory, "renderfarm.db")};Mode=ReadOnly"))
        {
            db.Open();
            using var all = db.CreateCommand();
            all.CommandText = "SELECT * FROM api_keys";
            using var rows = all.ExecuteReader();
            while (rows.Read())
                for (var i = 0; i < rows.FieldCount; i++)
                    (rows.GetValue(i)?.ToString() ?? "").Should().NotContain(key.Split('_')[2], "only the secret's hash is stored");
        }

        (await Api.SendAsync(HttpMethod.Post, $"admin/keys/{keyId}/revoke")).Status.Should().Be(200);
        (await Api.SendRawAsync(HttpMethod.Get, "ListMediaProducingJobs", credential: key)).Status.Should().Be(401, "a revoked key is refused at once on the gateway that revoked it");
    }

    [Fact]
    public async Task A_client_over_30_requests_a_second_gets_429_and_so_does_a_token_guesser()
    {
        var (_, created) = await Api.SendAsync(HttpMethod.Post, "admin/keys", """{"Name":"busy","Scope":"read"}""");
        var key = created.GetProperty("Key").GetString()!;
        async Task<int[]> Burst(string credential) => await Task.WhenAll(Enumerable.Range(0, 80).Select(async _ =>
            (await Api.SendRawAsync(HttpMethod.Get, "ListMediaProducingJobs", credential: credential)).Status));
        var statuses = await Burst(key);
        statuses.Count(s => s == 429).Should().BeGreaterThan(0, "80 requests at once exceed 30 per second");
        statuses.Count(s => s == 200).Should().BeGreaterThanOrEqualTo(30, "the bucket holds 30 and refills 30 a second");
        var (status, body) = await Api.SendRawAsync(HttpMethod.Get, "ListMediaProducingJobs", credential: key);
        if (status == 429) Error(status, body, 429).GetProperty("Code").GetString().Should().Be("Throttling");
        var guesses = await Burst("rfk_0000_wrong");
        guesses.Should().Contain(429, "wrong credentials are limited per client address").And.OnlyContain(s => s == 401 || s == 429);
        await Task.Delay(1100, TestContext.Current.CancellationToken);
        (await Api.SendRawAsync(HttpMethod.Get, "ListMediaProducingJobs")).Status.Should().Be(200, "the operator has its own bucket");
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_JSON()
    {
        var (status, body) = await Api.SendRawAsync(HttpMethod.Get, "NoSuchAction");
        Error(status, body, 404);
        (status, body) = await Api.SendRawAsync(HttpMethod.Delete, "SubmitMediaProducingJob");
        Error(status, body, 405);
    }
}
