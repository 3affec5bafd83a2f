using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RenderFarm.Core.Json;

namespace RenderFarm.Cli;

/// <summary>
/// Talks to a gateway for the operator and submission verbs. The address comes from --gateway or
/// RENDERFARM_GATEWAY (default http://127.0.0.1:8080); the credential from RENDERFARM_API_KEY, else
/// RENDERFARM_OPERATOR_TOKEN, else the embedded node's DATA/operator.token (RENDERFARM_DATA_DIR or the default data dir).
/// An error answer becomes a <see cref="RequestException"/> carrying the gateway's Field and Message.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;

    public GatewayClient(string? address)
    {
        var url = address ?? Environment.GetEnvironmentVariable("RENDERFARM_GATEWAY") ?? "http://127.0.0.1:8080";
        _http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (Credential() is { } token) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);

    public Task<JsonElement> PostAsync(string path, string? json, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json ?? "{}", Encoding.UTF8, "application/json") }, ct);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try { response = await _http.SendAsync(request, ct); }
        catch (HttpRequestException e) { throw new IOException($"gateway {_http.BaseAddress} is not reachable: {e.Message}"); }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            JsonElement json;
            try { json = JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement.Clone(); }
            catch (JsonException) { throw new IOException($"gateway answered {(int)response.StatusCode} with a non-JSON body"); }
            if (response.IsSuccessStatusCode) return json;
            var field = json.TryGetProperty("Field", out var f) ? f.GetString() ?? "" : "";
            var message = json.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : $"HTTP {(int)response.StatusCode}";
            // The gateway's message already starts with the field path.
            var reason = field.Length > 0 && message.StartsWith(field + ": ", StringComparison.Ordinal) ? message[(field.Length + 2)..] : message;
            throw new RequestException(field, reason);
        }
    }

    private static string? Credential()
    {
        foreach (var variable in new[] { "RENDERFARM_API_KEY", "RENDERFARM_OPERATOR_TOKEN" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) return value;
        var data = Environment.GetEnvironmentVariable("RENDERFARM_DATA_DIR") is { Length: > 0 } dir ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "renderfarm");
        return RenderFarm.Cluster.Access.LocalCredential.TryRead(data);
    }

    public void Dispose() => _http.Dispose();
}
