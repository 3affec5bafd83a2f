using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RenderFarm.TestSupport.Farm;

/// <summary>A client of a gateway's HTTP API for tests: IMS actions and the operator API.</summary>
public sealed class FarmApi(string url, string? token) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, bool withToken = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (withToken && token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    /// <summary>
    /// Sends any body (or none) with any credential (<paramref name="credential"/> null: the client's token, "": none)
    /// and returns the status and the body as text, whatever it is: for tests of what the gateway answers to bad input.
    /// </summary>
    public async Task<(int Status, string Body)> SendRawAsync(HttpMethod method, string path, HttpContent? content = null, string? credential = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        // As curl does for large bodies: the gateway may refuse (413) before the body is sent.
        if (content?.Headers.ContentLength > 1024 * 1024) request.Headers.ExpectContinue = true;
        var bearer = credential ?? token;
        if (bearer is { Length: > 0 }) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> SubmitBatchAsync(string json)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "SubmitBatchMediaProducingJob", json);
        if (status != 200) throw new InvalidOperationException($"submit failed {status}: {body}");
        return body.GetProperty("JobId").GetString()!;
    }

    public async Task<string> SubmitAsync(string json)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "SubmitMediaProducingJob", json);
        if (status != 200) throw new InvalidOperationException($"submit failed {status}: {body}");
        return body.GetProperty("JobId").GetString()!;
    }

    public async Task<JsonElement> JobAsync(string jobId)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"admin/jobs/{jobId}");
        if (status == 503) throw new HttpRequestException($"job {jobId}: gateway temporarily unavailable: {body}");
        if (status != 200) throw new InvalidOperationException($"job {jobId}: {status} {body}");
        return body;
    }

    /// <summary>Polls until the job ends (or the timeout passes) and returns its final detail.</summary>
    /// <param name="pollInterval">Default 300 ms; benchmarks poll rarely, as each poll costs the gateway a full job detail.</param>
    public async Task<JsonElement> WaitAsync(string jobId, TimeSpan timeout, Func<string>? diagnostics = null, TimeSpan? pollInterval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement job = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                job = await JobAsync(jobId);
                if (job.GetProperty("Status").GetString() is "Success" or "Failed" or "Cancelled") return job;
            }
            catch (HttpRequestException) { }
            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(300));
        }
        throw new TimeoutException($"job {jobId} did not end in {timeout}: {job}\n{diagnostics?.Invoke()}");
    }

    /// <summary>Polls until <paramref name="condition"/> holds on the job detail.</summary>
    public async Task<JsonElement> WaitForAsync(string jobId, Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var job = await JobAsync(jobId);
                if (condition(job)) return job;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"condition on job {jobId} not met in {timeout}");
    }

    public void Dispose() => _http.Dispose();
}
