using FluentAssertions;
using RenderFarm.Cluster.Access;
using RenderFarm.Cluster.ReadModel;
using Xunit;

namespace RenderFarm.Cluster.Tests.Access;

/// <summary>Which route needs what, and keys checked against their stored hashes.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "renderfarm-keys-" + Guid.NewGuid().ToString("N")[..12]);
    private ReadModelStore _store = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class StepClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    public async ValueTask InitializeAsync()
    {
        _store = ReadModelStore.Sqlite(Path.Combine(_directory, "farm.db"));
        await _store.InitializeAsync(Ct);
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("GET", "/healthz", null, null)]
    [InlineData("GET", "/readyz", null, null)]
    [InlineData("GET", "/metrics", null, null)]
    [InlineData("POST", "/SubmitMediaProducingJob", null, ApiScope.Submit)]
    [InlineData("POST", "/submitbatchmediaproducingjob", null, ApiScope.Submit)]
    [InlineData("POST", "/RegisterMediaInfo", null, ApiScope.Submit)]
    [InlineData("POST", "/DeleteMediaInfos", null, ApiScope.Submit)]
    [InlineData("POST", "/", "DeleteMediaInfos", ApiScope.Submit)]
    [InlineData("GET", "/", "GetMediaProducingJob", ApiScope.Read)]
    [InlineData("GET", "/", null, ApiScope.Read)]
    [InlineData("GET", "/GetMediaProducingJob", null, ApiScope.Read)]
    [InlineData("GET", "/SearchMediaByHybrid", null, ApiScope.Read)]
    [InlineData("GET", "/NoSuchRoute", null, ApiScope.Read)]
    [InlineData("GET", "/admin/keys", null, ApiScope.Operate)]
    [InlineData("GET", "/admin/jobs/x", null, ApiScope.Read)]
    [InlineData("GET", "/admin/cluster", null, ApiScope.Read)]
    [InlineData("POST", "/admin/nodes/n1/drain", null, ApiScope.Operate)]
    [InlineData("GET", "/ui", null, null)]
    [InlineData("POST", "/ui/login", null, null)]
    [InlineData("GET", "/ui/session", null, ApiScope.Read)]
    [InlineData("GET", "/ui/media/jobs/j/videos/0", null, ApiScope.Read)]
    [InlineData("POST", "/admin/jobs/x/cancel", null, ApiScope.Operate)]
    public void Each_route_needs_its_scope(string method, string path, string? action, ApiScope? expected) =>
        AccessRules.Needed(method, path, action).Should().Be(expected);

    [Fact]
    public async Task A_key_works_with_its_secret_only_until_it_is_revoked()
    {
        var clock = new StepClock { Now = DateTimeOffset.Parse("2026-12-07T10:00:00Z") };
        var keys = new ApiKeys(_store, "operator-secret", clock);
        var issued = await keys.CreateAsync("editor", ApiScope.Submit, Ct);

        (await keys.IdentifyAsync(issued.Secret, Ct)).Should().Be(new Caller(issued.Record.KeyId, "editor", ApiScope.Submit));
        (await keys.IdentifyAsync(issued.Secret + "x", Ct)).Should().BeNull("a wrong secret");
        (await keys.IdentifyAsync($"rfk_{issued.Record.KeyId}_", Ct)).Should().BeNull();
        (await keys.IdentifyAsync("rfk_nope_secret", Ct)).Should().BeNull();
        (await keys.IdentifyAsync("operator-secret", Ct))!.Scope.Should().Be(ApiScope.Operate);
        (await keys.IdentifyAsync("", Ct)).Should().BeNull();
        (await _store.ListKeysAsync(Ct)).Single().SecretSha256.Should().NotContain(issued.Secret.Split('_')[2]);

        await _store.RevokeKeyAsync(issued.Record.KeyId, Ct);
        (await keys.IdentifyAsync(issued.Secret, Ct)).Should().NotBeNull("another gateway's cache keeps a key for a few seconds");
        clock.Now += ApiKeys.CacheFor + TimeSpan.FromSeconds(1);
        (await keys.IdentifyAsync(issued.Secret, Ct)).Should().BeNull("a revoked key stops within the cache time");
    }

    [Fact]
    public void Scopes_include_the_smaller_ones()
    {
        new Caller("k", "k", ApiScope.Submit).May(ApiScope.Read).Should().BeTrue();
        new Caller("k", "k", ApiScope.Submit).May(ApiScope.Operate).Should().BeFalse();
        new Caller("k", "k", ApiScope.Read).May(ApiScope.Submit).Should().BeFalse();
    }

    [Fact]
    public void The_local_credential_is_made_once_readable_by_its_owner_only()
    {
        var first = LocalCredential.LoadOrCreate(_directory);
        LocalCredential.LoadOrCreate(_directory).Should().Be(first);
        LocalCredential.TryRead(_directory).Should().Be(first);
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(LocalCredential.PathIn(_directory)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
