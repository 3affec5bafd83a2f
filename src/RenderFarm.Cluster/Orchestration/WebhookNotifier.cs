using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RenderFarm.Cluster.Model;
using RenderFarm.Cluster.Store;

namespace RenderFarm.Cluster.Orchestration;

/// <summary>
/// Calls UserData.NotifyAddress (http or https) when a job ends, in the IMS callback shape
/// (EventType ProduceMediaComplete / BatchProduceMediaComplete), retrying with backoff. Each call
/// and its outcome go into the job history.
/// </summary>
public sealed class WebhookNotifier(IJobStore store, HttpClient http, TimeProvider clock, ILogger<WebhookNotifier> log)
{
    // IMS callbacks use PascalCase field names.
    private static readonly JsonSerializerOptions ImsJson = new() { PropertyNamingPolicy = null };

    public static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15)];

    public void Notify(JobRecord job, IReadOnlyList<VideoRecord> videos)
    {
        if (NotifyAddress(job.UserData) is not { } address) return;
        _ = Task.Run(() => SendAsync(job, videos, address));
    }

    public static Uri? NotifyAddress(string? userData)
    {
        if (string.IsNullOrWhiteSpace(userData)) return null;
        try
        {
            using var doc = JsonDocument.Parse(userData);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name.Equals("NotifyAddress", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String
                    && Uri.TryCreate(p.Value.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                    return uri;
        }
        catch (JsonException) { }
        return null;
    }

    private async Task SendAsync(JobRecord job, IReadOnlyList<VideoRecord> videos, Uri address)
    {
        var body = new
        {
            EventType = job.Kind == JobKind.Batch ? "BatchProduceMediaComplete" : "ProduceMediaComplete",
            UserData = job.UserData,
            MessageBody = new
            {
                job.JobId,
                Status = job.Status.ToString(),
                MediaURL = job.Kind == JobKind.Single ? videos.FirstOrDefault()?.OutputPath : null,
                Outputs = videos.Select(v => new { v.Index, MediaURL = v.OutputPath, Status = v.Status.ToString() }),
                job.Code,
                job.Message,
            },
        };
        for (var attempt = 0; ; attempt++)
        {
            string outcome;
            try
            {
                using var response = await http.PostAsJsonAsync(address, body, ImsJson);
                if (response.IsSuccessStatusCode)
                {
                    await Record(job, $"notified {address.Host} ({(int)response.StatusCode})");
                    return;
                }
                outcome = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcome = e.Message;
            }
            if (attempt >= Backoff.Length)
            {
                await Record(job, $"notification to {address.Host} failed after {attempt + 1} tries: {outcome}");
                return;
            }
            log.LogInformation("notify {Job} failed ({Outcome}); retrying", job.JobId, outcome);
            await Task.Delay(Backoff[attempt], clock);
        }
    }

    private Task Record(JobRecord job, string detail) =>
        store.AppendHistoryAsync(new HistoryEntry(0, job.JobId, null, null, clock.GetUtcNow(), "Notify", detail, null));
}
