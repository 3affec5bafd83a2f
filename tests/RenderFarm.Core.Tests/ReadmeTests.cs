using FluentAssertions;
using RenderFarm.Core.Timelines;
using Xunit;

namespace RenderFarm.Core.Tests;

/// <summary>The README's tables say what the code does.</summary>
public sealed class ReadmeTests
{
    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln"))) return File.ReadAllText(path);
        }
        throw new FileNotFoundException("README.md of the repository");
    }

    [Fact]
    public void The_transition_table_lists_every_catalog_entry_with_its_xfade_name_and_look()
    {
        var rows = Readme().Split('\n').Where(l => l.StartsWith("| `")).ToList();
        foreach (var e in TransitionCatalog.Entries)
            rows.Should().Contain($"| `{e.Ims}` | `{e.Xfade}` | {e.Look} |", $"{e.Ims} renders as {e.Xfade} ({e.Look})");
    }

    [Fact]
    public void The_text_motion_table_lists_every_catalog_name_with_its_look()
    {
        var rows = Readme().Split('\n').Where(l => l.StartsWith("| `")).ToList();
        foreach (var (name, look) in TextMotionCatalog.Looks)
            rows.Should().Contain($"| `{name}` | {look} |");
    }

    [Fact]
    public void The_limits_table_states_the_enforced_limits()
    {
        var limits = TimelineLimits.Default;
        var rows = Readme().Split('\n').Where(l => l.StartsWith("| ")).ToList();
        rows.Should().Contain($"| Speed | {limits.MinSpeed:0.0#}-{limits.MaxSpeed:0} |");
        rows.Should().Contain(r => r.StartsWith($"| clips per track | {limits.MaxClipsPerTrack} (RenderFarm's own limit"));
        rows.Should().Contain($"| tracks of each kind | {limits.MaxTracksPerKind} |");
        rows.Should().Contain($"| Volume Gain | 0-{limits.MaxGain:0} |");
    }
}
