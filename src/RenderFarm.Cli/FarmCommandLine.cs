using System.CommandLine;

namespace RenderFarm.Cli;

/// <summary>The `farm` verbs. Each verb lives in its own class; this only wires them together.</summary>
public static class FarmCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("RenderFarm: self-hosted IMS-compatible video production");
        root.Subcommands.Add(RenderVerb.Command());
        root.Subcommands.Add(ValidateVerb.Command());
        root.Subcommands.Add(ProbeVerb.Command());
        root.Subcommands.Add(NodeVerb.Command());
        root.Subcommands.Add(SubmitVerb.Command());
        root.Subcommands.Add(BatchVerb.Command());
        root.Subcommands.Add(MediaVerb.Command());
        root.Subcommands.Add(TemplateVerb.Command());
        root.Subcommands.Add(IProductionVerb.Command());
        root.Subcommands.Add(ClusterVerbs.Cluster());
        root.Subcommands.Add(ClusterVerbs.Sharding());
        root.Subcommands.Add(ClusterVerbs.Queues());
        root.Subcommands.Add(ClusterVerbs.Keys());
        root.Subcommands.Add(ClusterVerbs.Jobs());
        root.Subcommands.Add(Help(root));
        return root;
    }

    /// <summary>`farm help [VERB...]`: the same text as `farm [VERB...] --help`, exit 0.</summary>
    private static Command Help(RootCommand root)
    {
        var verb = new Argument<string[]>("verb") { Description = "The verb to explain (e.g. render, or cluster show)", Arity = ArgumentArity.ZeroOrMore };
        var help = new Command("help", "Show help (for a verb: farm help VERB)") { verb };
        help.SetAction(parse => root.Parse([.. parse.GetValue(verb) ?? [], "--help"]).Invoke());
        return help;
    }
}
