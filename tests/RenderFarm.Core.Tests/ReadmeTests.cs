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
    public void The_vfx_table_lists_every_catalog_name_with_its_look_and_nothing_else()
    {
        var lines = Readme().Split('\n');
        var start = Array.IndexOf(lines, "## Visual effects (VFX)");
        start.Should().BeGreaterThan(0, "the README has a VFX section");
        var rows = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ")).Where(l => l.StartsWith("| `")).ToList();
        rows.Should().Equal(VfxCatalog.Entries.Select(e => $"| `{e.Name}` | {e.Look} |"));
        VfxCatalog.Entries.Should().OnlyContain(e => e.Look == "own" || e.Look.StartsWith("closest: "));
    }

    [Fact]
    public void The_filter_table_lists_every_catalog_entry_with_its_look()
    {
        var lines = Readme().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines.IndexOf("| IMS SubType | look |");
        header.Should().BePositive("README has the Filters table");
        lines.Skip(header + 2).TakeWhile(l => l.StartsWith("| `")).Should().Equal(FilterCatalog.Entries.Select(e => $"| `{e.Name}` | {e.Look} |"));
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
        rows.Should().Contain(r => r.StartsWith($"| `DeWatermark` regions | {ClipFrameEffectParser.MaxBlurRegions} per clip"));
        rows.Should().Contain($"| `KenBurns` `Zoom` | 1.01-4 (default {KenBurns.DefaultZoom:0.0#}) |");
    }

    [Fact]
    public void The_flower_and_bubble_tables_list_every_catalog_id_with_its_look_and_the_file_limits_are_stated()
    {
        var rows = Readme().Split('\n').Where(l => l.StartsWith("| ")).ToList();
        foreach (var id in TextStyleCatalog.FlowerIds)
            rows.Should().Contain($"| `{id}` | {TextStyleCatalog.Describe(TextStyleCatalog.Flower(id)!)} |");
        foreach (var id in TextStyleCatalog.BubbleIds)
            rows.Should().Contain($"| `{id}` | {TextStyleCatalog.Describe(TextStyleCatalog.Bubble(id)!)} |");
        rows.Should().Contain($"| subtitle file (`Type: Subtitle`) | {TextClipParser.MaxSubtitleFileBytes / (1024 * 1024)} MiB, {TextClipParser.MaxSubtitleCues} cues, UTF-8 |");
    }
}
