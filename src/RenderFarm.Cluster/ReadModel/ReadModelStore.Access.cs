using Dapper;
using RenderFarm.Cluster.Access;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.ReadModel;

/// <summary>
/// Tables written by the gateway itself, not by the projection: which job owns each output file
/// (<see cref="IOutputOwners"/>) and the API keys (<see cref="IApiKeyStore"/>, secrets hashed).
/// </summary>
public sealed partial class ReadModelStore : IOutputOwners, IApiKeyStore
{
    /// <summary>A claim whose job never reached the read model (its submission failed) lapses after this.</summary>
    private static readonly TimeSpan OrphanClaim = TimeSpan.FromMinutes(5);

    private static IEnumerable<string> AccessSchema(SqlDialect d) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS outputs (
            output_path {d.Text} PRIMARY KEY,
            job_id {d.Text} NOT NULL,
            claimed_at {d.Integer} NOT NULL)
        """,
        $"""
        CREATE TABLE IF NOT EXISTS api_keys (
            key_id {d.Text} PRIMARY KEY,
            name {d.Text} NOT NULL,
            scope {d.Text} NOT NULL,
            secret_sha256 {d.Text} NOT NULL,
            created_at {d.Integer} NOT NULL,
            revoked_at {d.Integer})
        """,
    ];

    public async Task<(string Path, string JobId)?> ClaimAsync(string jobId, IReadOnlyList<string> paths, CancellationToken ct)
    {
        (string, string)? taken = null;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var orphanBefore = now - (long)OrphanClaim.TotalMilliseconds;
        await WriteAsync(async (c, tx) =>
        {
            foreach (var path in paths)
            {
                // DO NOTHING, then read the owner: two gateways claiming one new path at once cannot both win.
                await c.ExecuteAsync(Cmd("INSERT INTO outputs (output_path, job_id, claimed_at) VALUES (@path, @jobId, @now) ON CONFLICT (output_path) DO NOTHING",
                    new { path, jobId, now }, tx, ct));
                var owner = await c.QuerySingleAsync<(string JobId, long ClaimedAt, string? Status)>(Cmd(
                    "SELECT o.job_id, o.claimed_at, j.status FROM outputs o LEFT JOIN jobs j ON j.job_id = o.job_id WHERE o.output_path = @path",
                    new { path }, tx, ct));
                if (owner.JobId == jobId) continue;
                var lapsed = owner.Status is nameof(JobStatus.Failed) or nameof(JobStatus.Cancelled) || (owner.Status is null && owner.ClaimedAt < orphanBefore);
                if (!lapsed)
                {
                    taken = (path, owner.JobId);
                    return false; // roll back this job's other claims
                }
                await c.ExecuteAsync(Cmd("UPDATE outputs SET job_id = @jobId, claimed_at = @now WHERE output_path = @path AND job_id = @old",
                    new { path, jobId, now, old = owner.JobId }, tx, ct));
            }
            return true;
        }, ct);
        return taken;
    }

    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd("INSERT INTO api_keys (key_id, name, scope, secret_sha256, created_at) VALUES (@KeyId, @Name, @Scope, @SecretSha256, @CreatedAt)",
                new { key.KeyId, key.Name, Scope = key.Scope.ToString(), key.SecretSha256, CreatedAt = key.CreatedAt.ToUnixTimeMilliseconds() }, tx, ct));
            return true;
        }, ct);

    public async Task<ApiKeyRecord?> GetKeyAsync(string keyId, CancellationToken ct) =>
        (await ListKeysWhereAsync("WHERE key_id = @keyId", new { keyId }, ct)).FirstOrDefault();

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct) => ListKeysWhereAsync("ORDER BY created_at, key_id", null, ct);

    public Task<bool> RevokeKeyAsync(string keyId, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await c.ExecuteAsync(Cmd("UPDATE api_keys SET revoked_at = @now WHERE key_id = @keyId AND revoked_at IS NULL",
            new { keyId, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx, ct)) > 0, ct);

    private Task<IReadOnlyList<ApiKeyRecord>> ListKeysWhereAsync(string where, object? args, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ApiKeyRecord>>(async c => (await c.QueryAsync<(string KeyId, string Name, string Scope, string SecretSha256, long CreatedAt, long? RevokedAt)>(Cmd(
            $"SELECT key_id, name, scope, secret_sha256, created_at, revoked_at FROM api_keys {where}", args, null, ct)))
            .Select(r => new ApiKeyRecord(r.KeyId, r.Name, Enum.Parse<ApiScope>(r.Scope), r.SecretSha256,
                DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), r.RevokedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null))
            .ToList(), ct);
}
