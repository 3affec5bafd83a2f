using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Core.Json;

namespace RenderFarm.Cli;

/// <summary>
/// The media library through the gateway: `farm media add FILE|URL [--title] [--description] [--tags a,b]
/// [--wait]` registers a medium (a local file is sent as its absolute path, which the farm must be allowed to
/// read) and prints its MediaId; --wait shows the analysis progress and exits 0 when it is analysed, 3 when
/// the analysis failed. `farm media list`, `farm media show ID` (the analysis, with a table of shots) and
/// `farm media search TEXT` (best matches first) read it.
/// </summary>
public static class MediaVerb
{
    private const int Excerpt = 40;

    public static Command Command()
    {
        var media = new Command("media", "Media library (IMS RegisterMediaInfo, GetMediaInfo, ListMediaBasicInfos, SearchMediaByHybrid)");
        media.Subcommands.Add(Add());
        media.Subcommands.Add(List());
        media.Subcommands.Add(Show());
        media.Subcommands.Add(Search());
        return media;
    }

    private static Option<string?> GatewayOption() => new("--gateway") { Description = "Gateway URL (env RENDERFARM_GATEWAY)" };

    private static Command Add()
    {
        var source = new Argument<string>("source") { Description = "Media file or http(s) URL" };
        var title = new Option<string?>("--title") { Description = "Title (at most 128 characters)" };
        var description = new Option<string?>("--description") { Description = "Description (at most 1024 characters)" };
        var tags = new Option<string?>("--tags") { Description = "Comma-separated tags (at most 16 of 32 characters)" };
        var wait = new Option<bool>("--wait") { Description = "Show the analysis progress until it ends" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress display" };
        var gateway = GatewayOption();
        var add = new Command("add", "Register a medium; it is analysed once on the farm") { source, title, description, tags, wait, quiet, gateway };
        add.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var request = new JsonObject { ["InputURL"] = InputUrl(parse.GetValue(source)!) };
            if (parse.GetValue(title) is { } t) request["Title"] = t;
            if (parse.GetValue(description) is { } d) request["Description"] = d;
            if (parse.GetValue(tags) is { } g) request["Tags"] = g;
            using var client = new GatewayClient(parse.GetValue(gateway));
            var answer = await client.PostAsync("RegisterMediaInfo", request.ToJsonString(), ct);
            var mediaId = answer.GetProperty("MediaId").GetString()!;
            if (answer.TryGetProperty("Existing", out var existing) && existing.GetBoolean())
                Console.Error.WriteLine($"already registered as {mediaId}: not analysed again");
            Console.WriteLine(mediaId);
            if (!parse.GetValue(wait)) return ExitCodes.Ok;

            var info = await ProgressDisplay.Run(parse.GetValue(quiet), "analysing", async progress =>
            {
                while (true)
                {
                    var basic = (await GetAsync(client, mediaId, ct)).GetProperty("MediaBasicInfo");
                    progress.Report(basic.GetProperty("Progress").GetInt32() / 100.0);
                    if (basic.GetProperty("Status").GetString() != "Analysing") return basic;
                    await Task.Delay(500, ct);
                }
            });
            if (info.GetProperty("Status").GetString() == "Normal") return ExitCodes.Ok;
            Console.Error.WriteLine($"error: media {mediaId} analysis failed: {info.GetProperty("ErrorMessage").GetString()}");
            return ExitCodes.RenderFailed;
        }));
        return add;
    }

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "Only entries in this state (Analysing, Normal, Failed)" };
        var max = new Option<int>("--max") { Description = "At most this many entries (newest first)", DefaultValueFactory = _ => 100 };
        var gateway = GatewayOption();
        var list = new Command("list", "Registered media, newest first: id, status, type, title, URL") { status, max, gateway };
        list.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var limit = parse.GetValue(max);
            if (limit is < 1 or > 10_000) throw new RequestException("--max", $"must be between 1 and 10000 (got {limit})");
            using var client = new GatewayClient(parse.GetValue(gateway));
            string? token = null;
            var shown = 0;
            do
            {
                var query = $"ListMediaBasicInfos?MaxResults={Math.Min(100, limit - shown)}";
                if (parse.GetValue(status) is { } s) query += $"&Status={Uri.EscapeDataString(s)}";
                if (token is not null) query += $"&NextToken={Uri.EscapeDataString(token)}";
                var page = await client.GetAsync(query, ct);
                foreach (var item in page.GetProperty("MediaInfos").EnumerateArray())
                {
                    var b = item.GetProperty("MediaBasicInfo");
                    Console.WriteLine(string.Join('\t', b.GetProperty("MediaId").GetString(), b.GetProperty("Status").GetString(),
                        b.GetProperty("MediaType").GetString(), Text(b, "Title"), b.GetProperty("InputURL").GetString()));
                    shown++;
                }
                token = page.GetProperty("NextToken").GetString();
            } while (token is not null && shown < limit);
            return ExitCodes.Ok;
        }));
        return list;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "MediaId" };
        var gateway = GatewayOption();
        var show = new Command("show", "One medium: what it is, its analysis and a table of its shots") { id, gateway };
        show.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            using var client = new GatewayClient(parse.GetValue(gateway));
            var info = await GetAsync(client, parse.GetValue(id)!, ct);
            var b = info.GetProperty("MediaBasicInfo");
            Console.WriteLine($"MediaId:     {b.GetProperty("MediaId").GetString()}");
            Console.WriteLine($"Status:      {b.GetProperty("Status").GetString()}{(b.GetProperty("Status").GetString() == "Analysing" ? $" ({b.GetProperty("Progress").GetInt32()}%)" : "")}");
            if (Text(b, "ErrorMessage") is { Length: > 0 } error) Console.WriteLine($"Error:       {error}");
            Console.WriteLine($"InputURL:    {b.GetProperty("InputURL").GetString()}");
            Console.WriteLine($"MediaType:   {b.GetProperty("MediaType").GetString()}");
            Console.WriteLine($"Title:       {Text(b, "Title")}");
            Console.WriteLine($"Description: {Text(b, "Description")}");
            Console.WriteLine($"Tags:        {Text(b, "Tags")}");
            if (info.GetProperty("AnalysisInfo") is not { ValueKind: JsonValueKind.Object } a) return ExitCodes.Ok;
            Console.WriteLine($"Duration:    {Seconds(a.GetProperty("Duration").GetDouble())} s, {a.GetProperty("Width").GetInt32()}x{a.GetProperty("Height").GetInt32()}, {(a.GetProperty("HasAudio").GetBoolean() ? "with" : "no")} audio");
            if (Text(a, "Transcript") is { Length: > 0 } transcript) Console.WriteLine($"Transcript:  {Cut(transcript, 200)}");
            var shots = a.GetProperty("Shots").EnumerateArray().ToList();
            Console.WriteLine($"Shots:       {shots.Count}");
            Console.WriteLine($"{"#",3}  {"in",8}  {"out",8}  {"ocr",-Excerpt}  transcript");
            foreach (var s in shots)
                Console.WriteLine($"{s.GetProperty("Index").GetInt32() + 1,3}  {Seconds(s.GetProperty("In").GetDouble()),8}  {Seconds(s.GetProperty("Out").GetDouble()),8}  " +
                    $"{Cut(Text(s, "OcrText"), Excerpt),-Excerpt}  {Cut(Text(s, "Transcript"), Excerpt)}");
            return ExitCodes.Ok;
        }));
        return show;
    }

    private static Command Search()
    {
        var text = new Argument<string>("text") { Description = "What to look for (words of the title, tags, description, on-screen text or speech)" };
        var max = new Option<int>("--max") { Description = "At most this many results (1-50)", DefaultValueFactory = _ => 10 };
        var gateway = GatewayOption();
        var search = new Command("search", "Media ranked by how well their texts match: score, id, best shot, title") { text, max, gateway };
        search.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            using var client = new GatewayClient(parse.GetValue(gateway));
            var body = new JsonObject { ["Text"] = parse.GetValue(text), ["PageSize"] = parse.GetValue(max) };
            var answer = await client.PostAsync("SearchMediaByHybrid", body.ToJsonString(), ct);
            var hits = answer.GetProperty("MediaList").EnumerateArray().ToList();
            if (hits.Count == 0) Console.Error.WriteLine("no media match");
            foreach (var hit in hits)
            {
                var clip = hit.GetProperty("ClipInfo").EnumerateArray().FirstOrDefault();
                var range = clip.ValueKind == JsonValueKind.Object ? $"{Seconds(clip.GetProperty("From").GetDouble())}-{Seconds(clip.GetProperty("To").GetDouble())}" : "whole";
                Console.WriteLine(string.Join('\t', hit.GetProperty("Score").GetDouble().ToString("0.000", CultureInfo.InvariantCulture),
                    hit.GetProperty("MediaId").GetString(), range, Text(hit.GetProperty("MediaBasicInfo"), "Title")));
            }
            return ExitCodes.Ok;
        }));
        return search;
    }

    private static async Task<JsonElement> GetAsync(GatewayClient client, string mediaId, CancellationToken ct) =>
        (await client.GetAsync($"GetMediaInfo?MediaId={Uri.EscapeDataString(mediaId)}", ct)).GetProperty("MediaInfo");

    /// <summary>A URL is sent as given; anything else is a local file, sent as its absolute path.</summary>
    private static string InputUrl(string source)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file") return source;
        var path = Path.GetFullPath(source);
        return File.Exists(path) ? path : throw new RequestException("InputURL", $"'{source}' is neither an existing file nor an http(s) URL");
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string Cut(string text, int max)
    {
        var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    private static string Seconds(double s) => s.ToString("0.00", CultureInfo.InvariantCulture);
}
