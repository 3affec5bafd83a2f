using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace RenderFarm.Cli;

/// <summary>
/// The operator verbs (what pbm is to an Akka cluster): `farm cluster show|drain|leave|enable`,
/// `farm queues`, `farm jobs list|show|cancel|retry`. They call the gateway's admin API.
/// </summary>
public static class ClusterVerbs
{
    private static readonly Option<string?> Gateway = new("--gateway") { Description = "Gateway URL (env RENDERFARM_GATEWAY)" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the raw JSON answer" };

    public static Command Cluster()
    {
        var cluster = new Command("cluster", "Nodes of the farm");
        var show = new Command("show", "Members: address, roles, status, reachability, slots, running tasks, kinds taken out") { Gateway, Json };
        show.SetAction((parse, ct) => Call(parse, ct, c => c.GetAsync("admin/cluster", ct), nodes =>
        {
            var table = new Table().AddColumns("node", "address", "roles", "member", "reachable", "state", "running", "heartbeat", "slots", "taken out", "device");
            foreach (var n in nodes.EnumerateArray())
                table.AddRow(n.GetProperty("NodeId").GetString()!, n.GetProperty("Address").GetString()!,
                    string.Join(",", n.GetProperty("Roles").EnumerateArray().Select(r => r.GetString())),
                    n.GetProperty("Member").GetString()!, n.GetProperty("Reachable").GetBoolean() ? "yes" : "NO",
                    n.GetProperty("State").GetString()!, n.GetProperty("RunningTasks").ToString(),
                    $"{n.GetProperty("HeartbeatAgeSeconds")} s ago",
                    string.Join(" ", n.GetProperty("Slots").EnumerateObject().Select(p => $"{p.Name}={p.Value}")),
                    Markup.Escape(string.Join("; ", n.GetProperty("DisabledKinds").EnumerateArray().Select(k => k.GetString()))), n.GetProperty("Device").GetString()!);
            AnsiConsole.Write(table);
        }));
        cluster.Subcommands.Add(show);
        var down = new Command("down-unreachable", "Down every unreachable member (their work runs elsewhere)") { Gateway, Json };
        down.SetAction((parse, ct) => Call(parse, ct, c => c.PostAsync("admin/cluster/down-unreachable", null, ct),
            answer => Console.WriteLine($"downed: {string.Join(", ", answer.GetProperty("Downed").EnumerateArray().Select(a => a.GetString()))}")));
        cluster.Subcommands.Add(down);
        foreach (var (verb, description) in new[] { ("drain", "Stop taking work, finish what runs"), ("leave", "Drain, then the node exits"), ("enable", "Take work again and clear disabled kinds") })
        {
            var node = new Argument<string>("node") { Description = "Node name" };
            var command = new Command(verb, description) { node, Gateway, Json };
            command.SetAction((parse, ct) => Call(parse, ct, c => c.PostAsync($"admin/nodes/{Uri.EscapeDataString(parse.GetValue(node)!)}/{verb}", null, ct),
                answer => Console.WriteLine($"{answer.GetProperty("NodeId").GetString()}: {answer.GetProperty("State").GetString()}")));
            cluster.Subcommands.Add(command);
        }
        return cluster;
    }

    public static Command Sharding()
    {
        var sharding = new Command("sharding", "Job entities over gateway nodes");
        var show = new Command("show", "Shard regions: shards and job entities per node") { Gateway, Json };
        show.SetAction((parse, ct) => Call(parse, ct, c => c.GetAsync("admin/sharding", ct), regions =>
        {
            var table = new Table().AddColumns("region", "shards", "entities");
            foreach (var r in regions.EnumerateArray())
                table.AddRow(r.GetProperty("Address").GetString()!, r.GetProperty("Shards").ToString(), r.GetProperty("Entities").ToString());
            AnsiConsole.Write(table);
        }));
        sharding.Subcommands.Add(show);
        return sharding;
    }

    public static Command Queues()
    {
        var command = new Command("queues", "Tasks waiting and running per queue") { Gateway, Json };
        command.SetAction((parse, ct) => Call(parse, ct, c => c.GetAsync("admin/queues", ct), queues =>
        {
            var table = new Table().AddColumns("kind", "placement", "waiting", "running", "succeeded", "failed");
            foreach (var q in queues.EnumerateArray())
                table.AddRow(q.GetProperty("Kind").GetString()!, q.GetProperty("Placement").GetString()!,
                    q.GetProperty("Waiting").ToString(), q.GetProperty("Running").ToString(), q.GetProperty("Succeeded").ToString(), q.GetProperty("Failed").ToString());
            AnsiConsole.Write(table);
        }));
        return command;
    }

    public static Command Jobs()
    {
        var jobs = new Command("jobs", "Jobs on the farm");
        var status = new Option<string?>("--status") { Description = "Only jobs in this state" };
        var list = new Command("list", "Recent jobs") { status, Gateway, Json };
        list.SetAction((parse, ct) => Call(parse, ct,
            c => c.GetAsync("admin/jobs" + (parse.GetValue(status) is { } s ? $"?status={Uri.EscapeDataString(s)}" : ""), ct), answer =>
            {
                var table = new Table().AddColumns("job", "kind", "status", "progress", "created", "message");
                foreach (var j in answer.EnumerateArray())
                    table.AddRow(j.GetProperty("JobId").GetString()!, j.GetProperty("Kind").GetString()!, j.GetProperty("Status").GetString()!,
                        $"{j.GetProperty("Progress")}%", j.GetProperty("CreateTime").GetString()!, Markup.Escape(j.GetProperty("Message").GetString() ?? ""));
                AnsiConsole.Write(table);
            }));
        jobs.Subcommands.Add(list);

        var id = new Argument<string>("job") { Description = "Job id" };
        var show = new Command("show", "A job's videos, tasks and history") { id, Gateway, Json };
        show.SetAction((parse, ct) => Call(parse, ct, c => c.GetAsync($"admin/jobs/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct), job =>
        {
            Console.WriteLine($"{job.GetProperty("JobId").GetString()}  {job.GetProperty("Kind").GetString()}  {job.GetProperty("Status").GetString()}  {job.GetProperty("Progress")}%");
            foreach (var v in job.GetProperty("Videos").EnumerateArray())
                Console.WriteLine($"  video {v.GetProperty("Index")}: {v.GetProperty("Status").GetString()} {v.GetProperty("Progress")}% {v.GetProperty("Segments")} segments -> {v.GetProperty("OutputPath").GetString()}");
            Console.WriteLine("  history:");
            foreach (var h in job.GetProperty("History").EnumerateArray())
                Console.WriteLine($"    {h.GetProperty("At").GetString()}  {h.GetProperty("Event").GetString(),-13} {h.GetProperty("Detail").GetString()}");
        }));
        jobs.Subcommands.Add(show);
        foreach (var verb in new[] { "cancel", "retry" })
        {
            var job = new Argument<string>("job") { Description = "Job id" };
            var command = new Command(verb, verb == "cancel" ? "Cancel a job: running tasks stop, no output is written" : "Run a failed or cancelled job's unfinished work again") { job, Gateway, Json };
            command.SetAction((parse, ct) => Call(parse, ct, c => c.PostAsync($"admin/jobs/{Uri.EscapeDataString(parse.GetValue(job)!)}/{verb}", null, ct),
                answer => Console.WriteLine($"{answer.GetProperty("JobId").GetString()}: {answer.GetProperty("Status").GetString()}")));
            jobs.Subcommands.Add(command);
        }
        return jobs;
    }

    /// <summary>`farm keys create|list|revoke`: API keys for clients (the secret is printed once).</summary>
    public static Command Keys()
    {
        var keys = new Command("keys", "API keys: one per client, scope read, submit or operate");
        var name = new Argument<string>("name") { Description = "Who the key is for" };
        var scope = new Option<string>("--scope") { Description = "read, submit (default) or operate", DefaultValueFactory = _ => "submit" };
        var create = new Command("create", "Create a key; its secret is printed once and stored only as a hash") { name, scope, Gateway, Json };
        create.SetAction((parse, ct) => Call(parse, ct,
            c => c.PostAsync("admin/keys", JsonSerializer.Serialize(new { Name = parse.GetValue(name), Scope = parse.GetValue(scope) }), ct),
            answer => Console.WriteLine($"key {answer.GetProperty("KeyId").GetString()} ({answer.GetProperty("Scope").GetString()}): {answer.GetProperty("Key").GetString()}")));
        keys.Subcommands.Add(create);
        var list = new Command("list", "Keys: id, name, scope, created, revoked") { Gateway, Json };
        list.SetAction((parse, ct) => Call(parse, ct, c => c.GetAsync("admin/keys", ct), answer =>
        {
            var table = new Table().AddColumns("id", "name", "scope", "created", "revoked");
            foreach (var k in answer.EnumerateArray())
                table.AddRow(k.GetProperty("KeyId").GetString()!, Markup.Escape(k.GetProperty("Name").GetString()!), k.GetProperty("Scope").GetString()!,
                    k.GetProperty("CreatedAt").ToString(), k.GetProperty("RevokedAt").ValueKind == JsonValueKind.Null ? "" : k.GetProperty("RevokedAt").ToString());
            AnsiConsole.Write(table);
        }));
        keys.Subcommands.Add(list);
        var id = new Argument<string>("id") { Description = "Key id" };
        var revoke = new Command("revoke", "Revoke a key (every gateway refuses it within 10 s)") { id, Gateway, Json };
        revoke.SetAction((parse, ct) => Call(parse, ct, c => c.PostAsync($"admin/keys/{Uri.EscapeDataString(parse.GetValue(id)!)}/revoke", null, ct),
            answer => Console.WriteLine($"{answer.GetProperty("KeyId").GetString()}: revoked")));
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static Task<int> Call(ParseResult parse, CancellationToken ct, Func<GatewayClient, Task<JsonElement>> call, Action<JsonElement> print) =>
        ExitCodes.Guard(async () =>
        {
            // Piped into a file or another program: wide enough that ids never wrap.
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 240;
            using var client = new GatewayClient(parse.GetValue(Gateway));
            var answer = await call(client);
            if (parse.GetValue(Json)) Console.WriteLine(answer.GetRawText());
            else print(answer);
            return ExitCodes.Ok;
        });
}
