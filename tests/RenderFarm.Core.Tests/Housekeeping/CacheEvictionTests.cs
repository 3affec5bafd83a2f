using FluentAssertions;
using RenderFarm.Core.Housekeeping;
using Xunit;

namespace RenderFarm.Core.Tests.Housekeeping;

public sealed class CacheEvictionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static CacheEntry Entry(string key, long bytes, double hoursAgo, bool pinned = false) =>
        new(key, [key], bytes, Now.AddHours(-hoursAgo), pinned);

    [Fact]
    public void A_cache_over_its_cap_loses_its_least_recently_used_entries_until_it_fits()
    {
        var entries = new[] { Entry("new", 40, 1), Entry("oldest", 40, 30), Entry("middle", 40, 5), Entry("old", 40, 10) };
        var chosen = CacheEviction.Choose(entries, capBytes: 100, Now, TimeSpan.FromMinutes(30));
        chosen.Select(e => e.Key).Should().Equal("oldest", "old");
        (entries.Sum(e => e.Bytes) - chosen.Sum(e => e.Bytes)).Should().BeLessThanOrEqualTo(100);
    }

    [Fact]
    public void A_cache_under_its_cap_keeps_everything()
    {
        CacheEviction.Choose([Entry("a", 10, 100), Entry("b", 10, 200)], 20, Now, TimeSpan.Zero).Should().BeEmpty();
    }

    [Fact]
    public void An_entry_in_use_or_pinned_stays_even_when_it_is_the_oldest()
    {
        var entries = new[] { Entry("pinned", 50, 100, pinned: true), Entry("in-use", 50, 0.1), Entry("idle", 50, 2), Entry("idler", 50, 3) };
        var chosen = CacheEviction.Choose(entries, 100, Now, TimeSpan.FromMinutes(30));
        chosen.Select(e => e.Key).Should().Equal("idler", "idle");
    }

    [Fact]
    public void When_every_entry_is_in_use_the_cache_stays_over_its_cap()
    {
        CacheEviction.Choose([Entry("a", 100, 0.1), Entry("b", 100, 0.2)], 50, Now, TimeSpan.FromMinutes(30)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("abc.mp4.0123.part", true)]
    [InlineData(".out.partial-0123.mp4", true)]
    [InlineData(".key.0123.partial.mkv", true)]
    [InlineData("x.json.0123.tmp", true)]
    [InlineData(".renderfarm-work-0123", true)]
    [InlineData("out.mp4", false)]
    [InlineData("renderfarm.db-wal", false)]
    public void Temporary_names_are_recognised(string name, bool temporary) => Leftovers.IsTemporaryName(name).Should().Be(temporary);

    [Fact]
    public void A_leftover_is_stale_only_when_written_before_the_process_started_and_quiet_long_enough()
    {
        var start = Now.AddMinutes(-1);
        Leftovers.IsStale(Now.AddMinutes(-2), start, Now, TimeSpan.Zero).Should().BeTrue();
        Leftovers.IsStale(Now.AddSeconds(-10), start, Now, TimeSpan.Zero).Should().BeFalse("written by this process");
        Leftovers.IsStale(Now.AddMinutes(-2), start, Now, TimeSpan.FromHours(1)).Should().BeFalse("another node may still write it");
    }
}

/// <summary>The I/O side, on a real directory: what a user would see with ls.</summary>
public sealed class DiskCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("renderfarm-cache-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Put(string name, int bytes, TimeSpan age)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        var at = DateTime.UtcNow - age;
        File.SetLastWriteTimeUtc(path, at);
        File.SetLastAccessTimeUtc(path, at);
        return path;
    }

    [Fact]
    public void A_cache_over_its_cap_shrinks_under_it_least_recently_used_first_and_a_file_in_use_stays()
    {
        var oldest = Put("aaa.mp4", 1000, TimeSpan.FromDays(3));
        var old = Put("bbb.mp4", 1000, TimeSpan.FromDays(2));
        var recent = Put("ccc.mp4", 1000, TimeSpan.FromHours(5));
        var inUse = Put("ddd.mp4", 1000, TimeSpan.FromDays(9));
        DiskCache.MarkUsed(inUse); // a running task just resolved it
        var speech = Put("eee.wav", 500, TimeSpan.FromDays(4));
        var sidecar = Put("eee.json", 10, TimeSpan.FromDays(4));
        var partial = Put("fff.mp4.0123.part", 5000, TimeSpan.FromDays(5)); // a download under way is no entry

        var cache = new DiskCache("downloads", _root, capBytes: 3000);
        var evicted = cache.Sweep(DateTimeOffset.UtcNow);

        File.Exists(speech).Should().BeFalse("the least recently used goes first");
        File.Exists(sidecar).Should().BeFalse("an entry's files go together");
        File.Exists(oldest).Should().BeFalse();
        File.Exists(old).Should().BeTrue("the cache fits once the two oldest are gone");
        File.Exists(recent).Should().BeTrue();
        File.Exists(inUse).Should().BeTrue("a file used moments ago stays, however old");
        File.Exists(partial).Should().BeTrue();
        cache.Bytes.Should().Be(3000);
        cache.Evictions.Should().Be(2);
        evicted.Sum(e => e.Bytes).Should().Be(1510);
    }

    [Fact]
    public void Leftovers_from_before_the_start_are_removed_and_results_and_current_work_stay()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-5);
        var part = Put("downloads/abc.mp4.0123.part", 10, TimeSpan.FromHours(2));
        var render = Put("outputs/.video.partial-0123.mp4", 10, TimeSpan.FromHours(2));
        var work = Put("artifacts/tmp/.renderfarm-work-0123/concat.txt", 10, TimeSpan.FromHours(2));
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(work)!, DateTime.UtcNow.AddHours(-2));
        var scratch = Put("artifacts/tmp/key.0123.mp4", 10, TimeSpan.FromHours(2));
        var result = Put("outputs/video.mp4", 10, TimeSpan.FromHours(2));
        var current = Put("outputs/.other.partial-4567.mp4", 10, TimeSpan.Zero);

        var removed = LeftoverSweep.Run(_root, start, DateTimeOffset.UtcNow, TimeSpan.Zero);

        File.Exists(part).Should().BeFalse();
        File.Exists(render).Should().BeFalse();
        Directory.Exists(Path.GetDirectoryName(work)).Should().BeFalse();
        File.Exists(scratch).Should().BeFalse();
        File.Exists(result).Should().BeTrue();
        File.Exists(current).Should().BeTrue("written since the start: a task of this process");
        removed.Should().HaveCount(4);
    }
}
