using System.Net.Http.Json;
using System.Text.Json;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Model;
using RenderFarm.Core.Json;
using RenderFarm.Media.Outbound;

namespace RenderFarm.Cluster.Notification;

/// <summary>
/// Calls UserData.NotifyAddress (http or https) when a job ends, in the IMS callback shape
/// (EventType ProduceMediaComplete / BatchProduceMediaComplete / IProductionComplete). One call per try: the job's lifecycle
/// persists the outcome and decides the next try, so a callback survives a gateway restart.
/// The address follows the node's <see cref="OutboundPolicy"/>: its host is checked at submission and
/// again at each call, its resolved address must not be internal, and redirects are not followed
/// (a callback is a POST to the address the client gave; a 3xx counts as a failed try).
/// </summary>
public sealed class WebhookNotifier(HttpClient http, OutboundPolicy policy) : IJobNotifier, IDisposable
{
    public const string FieldPath = "UserData.NotifyAddress";

    // IMS callbacks use PascalCase field names.
    private static readonly JsonSerializerOptions ImsJson = new() { PropertyNamingPolicy = null };

    /// <summary>A notifier over the one outbound HTTP client the policy allows (<see cref="OutboundHttp"/>).</summary>
    public WebhookNotifier(OutboundPolicy policy, HostResolver? resolve = null) : this(OutboundHttp.CreateClient(policy, resolve), policy) { }

    /// <summary>
    /// UserData's NotifyAddress, or null when there is none. One that cannot be called under
    /// <paramref name="policy"/> is refused at <see cref="FieldPath"/> so nothing is stored.
    /// </summary>
    public static Uri? NotifyAddress(string? userData, OutboundPolicy policy)
    {
        if (ParseUrl(userData) is not { } uri) return null;
        if (policy.RefusalOf(uri) is { } refusal)
            throw new RequestException(FieldPath, $"{Shown(uri)} {refusal}");
        return uri;
    }

    /// <summary>
    /// An http(s) NotifyAddress in UserData (a JSON object). Anything else is not ours to call and is
    /// ignored as before: UserData is the client's free text, and IMS also allows a message queue name here.
    /// </summary>
    private static Uri? ParseUrl(string? userData)
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
        // Stored before the policy may have changed (a restart with other settings): checked again.
        if (policy.RefusalOf(address) is { } refusal) return new WebhookOutcome(job.JobId, false, $"{Shown(address)} {refusal}");
        var videos = job.Videos.Values.OrderBy(v => v.Index).ToList();
        var body = new
        {
            EventType = job.Kind switch { JobKind.Batch => "BatchProduceMediaComplete", JobKind.IProduction => "IProductionComplete", _ => "ProduceMediaComplete" },
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
        var host = OutboundPolicy.HostOf(address);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(policy.WebhookTimeout);
        try
        {
            using var response = await http.PostAsJsonAsync(address, body, ImsJson, deadline.Token);
            if (response.IsSuccessStatusCode) return new WebhookOutcome(job.JobId, true, null);
            var redirect = (int)response.StatusCode is >= 300 and < 400 ? " (redirects are not followed)" : "";
            return new WebhookOutcome(job.JobId, false, $"{host}: HTTP {(int)response.StatusCode}{redirect}");
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundRefusedException refused)
        {
            return new WebhookOutcome(job.JobId, false, $"{host}: refused: {OneLine(refused.Message)}");
        }
        catch (HttpRequestException e) { return new WebhookOutcome(job.JobId, false, $"{host}: {OneLine(e.Message)}"); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookOutcome(job.JobId, false, $"{host}: no answer within {policy.WebhookTimeout.TotalSeconds:0.###} s");
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>The address as a message may show it: scheme, host and port, never credentials or a path.</summary>
    private static string Shown(Uri uri) => $"'{uri.Scheme}://{OutboundPolicy.HostOf(uri)}'";

    private static string OneLine(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
