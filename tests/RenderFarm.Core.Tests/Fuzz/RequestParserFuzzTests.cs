using System.Diagnostics;
using FluentAssertions;
using RenderFarm.Core.Batch;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Json;
using RenderFarm.Core.Timelines;
using RenderFarm.TestSupport.Fuzz;
using Xunit;

namespace RenderFarm.Core.Tests.Fuzz;

/// <summary>
/// The parsers' contract under random mutations of valid requests: a result with warnings, or a
/// <see cref="RequestException"/> naming the field in one line; never another exception, never a slow parse.
/// Fixed seeds: a failure names the mutant, and the same run reproduces it.
/// </summary>
public sealed class RequestParserFuzzTests
{
    private const int Mutants = 1200;
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    [Fact]
    public void The_seed_requests_are_valid_as_they_stand()
    {
        foreach (var body in RequestSeeds.ProducingJobs) ProducingJobRequest.Parse(body, TimelineLimits.Default);
        foreach (var body in RequestSeeds.BatchJobs) BatchRequestParser.Parse(body, new BatchParseOptions(KnownVoices: [.. RequestSeeds.Voices]));
    }

    [Fact]
    public void Mutated_producing_job_requests_are_accepted_or_refused_with_a_request_error() =>
        Check(seed: 20_240_611, RequestSeeds.ProducingJobs, body =>
        {
            var request = ProducingJobRequest.Parse(body, TimelineLimits.Default);
            ResolveLikeTheGateway(request.Output.MediaUrl);
        });

    [Fact]
    public void Mutated_batch_requests_are_accepted_or_refused_with_a_request_error() =>
        Check(seed: 11_083, RequestSeeds.BatchJobs, body =>
        {
            var request = BatchRequestParser.Parse(body, new BatchParseOptions(KnownVoices: [.. RequestSeeds.Voices]));
            BatchRequestParser.Parse(body);
            ResolveLikeTheGateway(request.Output.UrlFor(1));
        });

    [Fact]
    public void The_same_seed_gives_the_same_mutants()
    {
        RequestMutations.Generate(5, 50, RequestSeeds.BatchJobs).Should().Equal(RequestMutations.Generate(5, 50, RequestSeeds.BatchJobs));
        RequestMutations.Generate(5, 50, RequestSeeds.BatchJobs).Should().NotEqual(RequestMutations.Generate(6, 50, RequestSeeds.BatchJobs));
    }

    private static void Check(int seed, IReadOnlyList<string> seeds, Action<string> parse)
    {
        foreach (var body in seeds) parse(body); // JIT and warm-up before timing.
        var failures = new List<string>();
        var refused = 0;
        foreach (var mutant in RequestMutations.GenerateMutants(seed, Mutants, seeds))
        {
            var clock = Stopwatch.StartNew();
            var run = Task.Run(() => parse(mutant.Body));
            if (Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))).Result != run)
            {
                failures.Add($"no answer within 10 s: {mutant}");
                break; // The parse still runs; the rest would be timed against it.
            }
            var failure = run.Exception?.InnerException switch
            {
                null => null,
                RequestException e => Problem(e),
                var other => $"{other.GetType().Name} escaped: {Mutant.Escape(other.Message, 300)}\n{string.Join("\n", other.StackTrace?.Split('\n').Take(4) ?? [])}",
            };
            if (run.Exception?.InnerException is RequestException) refused++;
            if (failure is null && clock.Elapsed > Slow) failure = $"took {clock.Elapsed.TotalMilliseconds:0} ms";
            if (failure is not null) failures.Add($"{failure}\n{mutant}");
        }
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} of {Mutants} mutants broke the contract (seed {seed}); the first ones:\n{string.Join("\n\n", failures.Take(8))}");
        refused.Should().BeGreaterThan(Mutants / 4, "most mutations are errors a parser must refuse");
    }

    /// <summary>
    /// What the gateway does with an accepted output URL (OutputLocations.Resolve): an URL the parser let
    /// through must not make these throw, or the request would be a 500 after all.
    /// </summary>
    private static void ResolveLikeTheGateway(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return;
        var text = url.Replace("{index}", "1", StringComparison.OrdinalIgnoreCase);
        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) text = new Uri(text).LocalPath;
        Path.GetFullPath(text, "/srv/out");
    }

    private static string? Problem(RequestException e)
    {
        if (e.Path is null) return "RequestException without a Path";
        if (string.IsNullOrWhiteSpace(e.Reason)) return "RequestException without a reason";
        if (e.Message.Any(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')) return $"message is not one line: {Mutant.Escape(e.Message, 300)}";
        if (e.Message.Any(char.IsControl)) return $"message holds a control character: {Mutant.Escape(e.Message, 300)}";
        for (var i = 0; i < e.Message.Length; i++)
        {
            if (char.IsHighSurrogate(e.Message[i]) && i + 1 < e.Message.Length && char.IsLowSurrogate(e.Message[i + 1])) { i++; continue; }
            if (char.IsSurrogate(e.Message[i])) return $"message holds a lone surrogate (no JSON writer takes it): {Mutant.Escape(e.Message, 300)}";
        }
        if (e.Message.Length > 2000) return $"message is {e.Message.Length} characters long";
        return null;
    }
}
