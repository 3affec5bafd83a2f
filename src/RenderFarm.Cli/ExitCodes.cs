using RenderFarm.Core.Json;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Cli;

/// <summary>Exit codes and the one-line error a user sees for each kind of failure.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int InvalidRequest = 2;
    public const int RenderFailed = 3;
    public const int Cancelled = 130;

    /// <summary>
    /// Runs a verb body, turning every failure into one line on stderr and an exit code: 2 for a
    /// request that cannot be accepted, 3 when ffmpeg fails, 130 when cancelled (SIGINT/SIGTERM),
    /// 1 for anything else (I/O errors, and "internal error: ..." for the unexpected).
    /// </summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (RequestException e)
        {
            return Fail(InvalidRequest, e.Message);
        }
        catch (FfmpegException e)
        {
            return Fail(RenderFailed, $"render failed: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return Fail(Cancelled, "cancelled");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(Failure, e.Message);
        }
        catch (Exception e)
        {
            // A bug, not a bad request: still one line (no stack trace), so scripts and logs stay readable.
            return Fail(Failure, $"internal error: {e.Message}");
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
