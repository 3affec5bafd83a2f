using System.CommandLine;
using System.Text.Json.Nodes;
using RenderFarm.Core.Json;

namespace RenderFarm.Cli;

/// <summary>
/// Regular templates through the gateway: `farm template create NAME CONFIG_FILE` stores a timeline with $placeholders
/// and prints its TemplateId; `farm template show ID` prints its fields and the ClipsParam it takes; `farm template list`
/// (newest first) and `farm template delete ID...`. A job uses one with `farm submit` of a request holding TemplateId and
/// ClipsParam instead of a Timeline, or a batch with EditingConfig.TemplateConfig.
/// </summary>
public static class TemplateVerb
{
    public static Command Command()
    {
        var template = new Command("template", "Templates (IMS AddTemplate, GetTemplate, ListTemplates, DeleteTemplate)");
        template.Subcommands.Add(Create());
        template.Subcommands.Add(Show());
        template.Subcommands.Add(List());
        template.Subcommands.Add(Delete());
        return template;
    }

    private static Option<string?> GatewayOption() => new("--gateway") { Description = "Gateway URL (env RENDERFARM_GATEWAY)" };

    private static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Template name (at most 128 characters)" };
        var config = new Argument<FileInfo>("config") { Description = "The Config: a Timeline JSON whose values may be \"$Name\" placeholders" };
        var gateway = GatewayOption();
        var create = new Command("create", "Store a template; prints its TemplateId and the ClipsParam it takes") { name, config, gateway };
        create.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            var file = parse.GetValue(config)!;
            if (!file.Exists) throw new RequestException("Config", $"file '{file.FullName}' does not exist");
            var body = new JsonObject { ["Name"] = parse.GetValue(name), ["Type"] = "Timeline", ["Config"] = await File.ReadAllTextAsync(file.FullName, ct) };
            using var client = new GatewayClient(parse.GetValue(gateway));
            var created = (await client.PostAsync("AddTemplate", body.ToJsonString(), ct)).GetProperty("Template");
            Console.WriteLine(created.GetProperty("TemplateId").GetString());
            Console.Error.WriteLine($"ClipsParam: {created.GetProperty("ClipsParam").GetString()}");
            return ExitCodes.Ok;
        }));
        return create;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "TemplateId" };
        var gateway = GatewayOption();
        var show = new Command("show", "One template: its fields, the ClipsParam it takes and its Config") { id, gateway };
        show.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            using var client = new GatewayClient(parse.GetValue(gateway));
            var t = (await client.GetAsync($"GetTemplate?TemplateId={Uri.EscapeDataString(parse.GetValue(id)!)}", ct)).GetProperty("Template");
            foreach (var field in new[] { "TemplateId", "Name", "Type", "Status", "CreationTime", "ModifiedTime", "ClipsParam", "Config" })
                Console.WriteLine($"{field + ":",-14}{t.GetProperty(field).GetString()}");
            return ExitCodes.Ok;
        }));
        return show;
    }

    private static Command List()
    {
        var keyword = new Option<string?>("--keyword") { Description = "Only templates whose name holds this text" };
        var gateway = GatewayOption();
        var list = new Command("list", "Templates, newest first: id, status, name, ClipsParam") { keyword, gateway };
        list.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            using var client = new GatewayClient(parse.GetValue(gateway));
            for (var page = 1; ; page++)
            {
                var query = $"ListTemplates?PageSize=100&PageNo={page}";
                if (parse.GetValue(keyword) is { } k) query += $"&Keyword={Uri.EscapeDataString(k)}";
                var answer = await client.GetAsync(query, ct);
                var templates = answer.GetProperty("Templates").EnumerateArray().ToList();
                foreach (var t in templates)
                    Console.WriteLine(string.Join('\t', new[] { "TemplateId", "Status", "Name", "ClipsParam" }.Select(f => t.GetProperty(f).GetString())));
                if (page * 100 >= answer.GetProperty("TotalCount").GetInt32() || templates.Count == 0) return ExitCodes.Ok;
            }
        }));
        return list;
    }

    private static Command Delete()
    {
        var ids = new Argument<string[]>("id") { Description = "TemplateIds (at most 20)", Arity = ArgumentArity.OneOrMore };
        var gateway = GatewayOption();
        var delete = new Command("delete", "Delete templates (jobs made from them are kept)") { ids, gateway };
        delete.SetAction((parse, ct) => ExitCodes.Guard(async () =>
        {
            using var client = new GatewayClient(parse.GetValue(gateway));
            var answer = await client.PostAsync("DeleteTemplate", new JsonObject { ["TemplateIds"] = string.Join(',', parse.GetValue(ids)!) }.ToJsonString(), ct);
            foreach (var ignored in answer.GetProperty("IgnoredList").EnumerateArray()) Console.Error.WriteLine($"warning: no template {ignored.GetString()}");
            return answer.GetProperty("DeletedList").GetArrayLength() > 0 ? ExitCodes.Ok : ExitCodes.InvalidRequest;
        }));
        return delete;
    }
}
