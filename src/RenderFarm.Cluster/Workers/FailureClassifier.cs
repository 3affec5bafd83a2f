using RenderFarm.Cluster.Lifecycle;

namespace RenderFarm.Cluster.Workers;

/// <summary>
/// Decides whether a task failed because of its job (its media, params, output name: retried a few
/// times, then the job fails, the node is not blamed) or because of the node (full or read-only disk, a
/// tool or model missing, an unwritable store: the node takes itself out of that kind with back-off and
/// the task runs elsewhere). Anything not recognisably the node's is the job's.
/// </summary>
public static class FailureClassifier
{
    // errno values the .NET runtime puts into IOException.HResult on Linux.
    private const int EIO = 5, ENOSPC = 28, EROFS = 30, EDQUOT = 122;

    private static readonly string[] NodeMessages =
    [
        "No space left on device", "Read-only file system", "Disk quota exceeded", "Input/output error",
        "No such file or directory: 'ffmpeg'", "Cannot find ffmpeg",
    ];

    public static FailureCause Classify(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Classify(a.InnerExceptions[0]),
        { InnerException: System.ComponentModel.Win32Exception } => FailureCause.Node, // "ffmpeg could not be started"
        System.ComponentModel.Win32Exception => FailureCause.Node, // a program could not be started
        RenderFarm.Media.Ffmpeg.ToolNotFoundException => FailureCause.Node,
        DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException => FailureCause.Node,
        OutOfMemoryException or InsufficientExecutionStackException => FailureCause.Node,
        UnauthorizedAccessException => FailureCause.Node, // the farm's own directories are not writable
        PathTooLongException => FailureCause.Job, // an output or media name too long is the request's
        IOException io when io.HResult is EIO or ENOSPC or EROFS or EDQUOT => FailureCause.Node,
        _ when NodeMessages.Any(m => error.Message.Contains(m, StringComparison.OrdinalIgnoreCase)) => FailureCause.Node,
        _ => FailureCause.Job,
    };
}
