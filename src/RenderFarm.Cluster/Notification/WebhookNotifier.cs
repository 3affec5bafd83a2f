using System.Net.Http.Json;
using System.Text.Json;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;

namespace RenderFarm.Cluster.Notification;

/// <summary>
/// Calls UserData.NotifyAddress (http or https) when a job ends, in the IMS callback shape
/// (EventType ProduceMediaComplete / BatchProduceMediaComplete). One call per try: the job's lifecycle
/// persists the outcome and decides the next try, so a callback survives a gateway restart.
/// </summary>
public sealed class WebhookNotifier(HttpClient http) : IJobNotifier
{
    // IMS callbacks use PascalCase field names.
    private static readonly JsonSerializerOptions ImsJson = new() { PropertyNamingPolicy = null };

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

    public async Task<WebhookOutcome> NotifyAsync(JobState job, CancellationToken ct)
    {
        if (job.NotifyAddress is null || !Uri.TryCreate(job.NotifyAddress, UriKind.Absolute, out var address))
            return new WebhookOutcome(job.JobId, false, "no NotifyAddress");
        var videos = job.Videos.Values.OrderBy(v => v.Index).ToList();
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
        try
        {
            using var response = await http.PostAsJsonAsync(address, body, ImsJson, ct);
            return response.IsSuccessStatusCode
                ? new WebhookOutcome(job.JobId, true, null)
                : new WebhookOutcome(job.JobId, false, $"{address.Host}: HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new WebhookOutcome(job.JobId, false, $"{address.Host}: {e.Message}");
        }
    }
}
