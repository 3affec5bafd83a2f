using System.ComponentModel;
using System.Diagnostics;
using FluentAssertions;
using RenderFarm.Cluster.Lifecycle;
using RenderFarm.Cluster.Workers;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cluster.Tests.Workers;

/// <summary>
/// Who a failed task blames: the node (its disk, tools, libraries, permissions: it takes itself out of the
/// kind and the task runs elsewhere at once) or the job (its media, names, params: retried with back-off,
/// then the video fails). Real exceptions where the system can produce them.
/// </summary>
public sealed class FailureClassifierTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const int ENOSPC = 28;

    [Fact]
    public void A_full_disk_is_the_nodes_fault()
    {
        FailureClassifier.Classify(new IOException("write failed", ENOSPC)).Should().Be(FailureCause.Node, "errno ENOSPC");
        FailureClassifier.Classify(new IOException("ffmpeg: Error writing trailer: No space left on device")).Should().Be(FailureCause.Node,
            "a tool's message naming a full disk");
        FailureClassifier.Classify(new InvalidOperationException("ffmpeg exited 1: av_interleaved_write_frame(): No space left on device")).Should().Be(FailureCause.Node);
    }

    [Fact]
    public void Writing_to_a_device_that_is_full_is_the_nodes_fault()
    {
        Assert.SkipUnless(File.Exists("/dev/full"), "needs /dev/full (Linux)");
        var error = Record.Exception(() => File.WriteAllBytes("/dev/full", new byte[64 * 1024]));

        error.Should().BeAssignableTo<IOException>();
        FailureClassifier.Classify(error!).Should().Be(FailureCause.Node, error!.Message);
    }

    [Fact]
    public void A_program_that_cannot_be_started_is_the_nodes_fault()
    {
        var error = Record.Exception(() => Process.Start(new ProcessStartInfo(_dir.File("no-such-ffmpeg")) { UseShellExecute = false }));

        error.Should().BeOfType<Win32Exception>();
        FailureClassifier.Classify(error!).Should().Be(FailureCause.Node);
    }

    [Fact]
    public void Missing_libraries_and_unwritable_farm_directories_are_the_nodes_fault()
    {
        FailureClassifier.Classify(new DllNotFoundException("Unable to load shared library 'onnxruntime'")).Should().Be(FailureCause.Node);
        FailureClassifier.Classify(new UnauthorizedAccessException("Access to the path '/farm/artifacts/ab' is denied.")).Should().Be(FailureCause.Node);
        FailureClassifier.Classify(new AggregateException(new DllNotFoundException("libcuda"))).Should().Be(FailureCause.Node, "one inner error decides");
    }

    [Fact]
    public void An_output_name_too_long_is_the_jobs_fault()
    {
        var error = Record.Exception(() => File.WriteAllText(Path.Combine(_dir.Path, new string('n', 300) + ".mp4"), "x"));

        error.Should().BeOfType<PathTooLongException>();
        FailureClassifier.Classify(error!).Should().Be(FailureCause.Job);
    }

    [Fact]
    public void Bad_media_is_the_jobs_fault()
    {
        FailureClassifier.Classify(new InvalidDataException("moov atom not found")).Should().Be(FailureCause.Job);
        FailureClassifier.Classify(new Exception("/media/clip.mp4: Invalid data found when processing input")).Should().Be(FailureCause.Job);
        FailureClassifier.Classify(new FileNotFoundException("Could not find file '/media/missing.mp4'")).Should().Be(FailureCause.Job);
        FailureClassifier.Classify(new AggregateException(new InvalidDataException("a"), new DllNotFoundException("b"))).Should().Be(FailureCause.Job,
            "several errors are not recognisably the node's");
    }
}
