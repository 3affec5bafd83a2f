using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Cluster.Access;

/// <summary>What a credential may do; each scope includes the ones before it.</summary>
public enum ApiScope { Read, Submit, Operate }

/// <summary>A stored key: only the SHA-256 of its secret is kept (the secret is shown once, at creation).</summary>
public sealed record ApiKeyRecord(string KeyId, string Name, ApiScope Scope, string SecretSha256, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null);

public interface IApiKeyStore
{
    Task AddKeyAsync(ApiKeyRecord key, CancellationToken ct);
    Task<ApiKeyRecord?> GetKeyAsync(string keyId, CancellationToken ct);
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken ct);
    Task<bool> RevokeKeyAsync(string keyId, CancellationToken ct);
}

/// <summary>Who made a request: the operator (the node's token) or a key, by id and name.</summary>
public sealed record Caller(string Id, string Name, ApiScope Scope)
{
    public bool May(ApiScope needed) => Scope >= needed;
}

/// <summary>
/// Issues and checks credentials. A key reads <c>rfk_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the row, the
/// secret's hash must match. The operator token (RENDERFARM_OPERATOR_TOKEN, or the node's local token file)
/// works on every route. Keys are cached for <see cref="CacheFor"/>, so a revoked key stops within that time
/// on every gateway without a database read per request.
/// </summary>
public sealed class ApiKeys(IApiKeyStore store, string? operatorToken, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    public const string Prefix = "rfk_";

    private readonly byte[]? _operatorHash = operatorToken is { Length: > 0 } t ? Sha256(t) : null;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Key, DateTimeOffset Until)> _cache = new();

    /// <summary>A new key; <see cref="IssuedKey.Secret"/> is the whole credential, never stored.</summary>
    public async Task<IssuedKey> CreateAsync(string name, ApiScope scope, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)); // hex: no '_' to confuse with the separator
        var record = new ApiKeyRecord(id, name, scope, Convert.ToHexStringLower(Sha256(secret)), clock.GetUtcNow());
        await store.AddKeyAsync(record, ct);
        return new IssuedKey(record, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The caller a bearer credential names, or null when it names none (unknown, revoked, malformed).</summary>
    public async Task<Caller?> IdentifyAsync(string? credential, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(credential)) return null;
        if (_operatorHash is not null && CryptographicOperations.FixedTimeEquals(Sha256(credential), _operatorHash)) return new Caller("operator", "operator", ApiScope.Operate);
        if (!credential.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var rest = credential[Prefix.Length..];
        var split = rest.IndexOf('_');
        if (split <= 0) return null;
        var (id, secret) = (rest[..split], rest[(split + 1)..]);
        var key = await FindAsync(id, ct);
        if (key is null || key.RevokedAt is not null) return null;
        var expected = Convert.FromHexString(key.SecretSha256);
        return CryptographicOperations.FixedTimeEquals(Sha256(secret), expected) ? new Caller(key.KeyId, key.Name, key.Scope) : null;
    }

    public void Forget(string keyId) => _cache.TryRemove(keyId, out _);

    private async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(id, out var hit) && hit.Until > now) return hit.Key;
        var key = await store.GetKeyAsync(id, ct);
        if (key is not null) _cache[id] = (key, now + CacheFor);
        return key;
    }

    private static byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}

public sealed record IssuedKey(ApiKeyRecord Record, string Secret);
