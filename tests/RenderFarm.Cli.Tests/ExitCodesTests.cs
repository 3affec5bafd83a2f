using FluentAssertions;
using RenderFarm.Core.Json;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>Every failure of a verb is one line on stderr and an exit code, even a bug.</summary>
[Collection(nameof(ConsoleErrorCollection))]
public sealed class ExitCodesTests
{
    private static async Task<(int Code, string Stderr)> Guarded(Func<Task<int>> body)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try { return (await ExitCodes.Guard(body), error.ToString()); }
        finally { Console.SetError(previous); }
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_internal_error_and_exit_1()
    {
        var (code, stderr) = await Guarded(() => throw new InvalidOperationException("Sequence contains no elements\nat Something.Method()"));

        code.Should().Be(1);
        stderr.Should().Be("error: internal error: Sequence contains no elements at Something.Method()" + Environment.NewLine);
    }

    [Fact]
    public async Task An_unexpected_exception_from_an_async_body_is_caught_too()
    {
        var (code, stderr) = await Guarded(async () =>
        {
            await Task.Yield();
            throw new ArgumentOutOfRangeException("value", "must be positive");
        });

        code.Should().Be(1);
        stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("error: internal error: must be positive");
    }

    [Fact]
    public async Task Known_failures_keep_their_codes()
    {
        (await Guarded(() => throw new RequestException("A.B", "bad"))).Should().Be((2, "error: A.B: bad" + Environment.NewLine));
        (await Guarded(() => throw new OperationCanceledException())).Should().Be((130, "error: cancelled" + Environment.NewLine));
        (await Guarded(() => throw new IOException("disk full"))).Should().Be((1, "error: disk full" + Environment.NewLine));
    }
}

/// <summary>Tests that redirect Console.Error run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleErrorCollection), DisableParallelization = true)]
public sealed class ConsoleErrorCollection;
