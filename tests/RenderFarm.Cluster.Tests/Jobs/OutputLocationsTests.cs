using FluentAssertions;
using RenderFarm.Cluster.Jobs;
using RenderFarm.Core.Json;
using Xunit;

namespace RenderFarm.Cluster.Tests.Jobs;

/// <summary>Output names are checked at submission: inside the output directory, a name the file system takes, never a server path in the message.</summary>
public sealed class OutputLocationsTests
{
    private const string Root = "/srv/renderfarm/outputs";
    private readonly OutputLocations _outputs = new(Root);

    [Theory]
    [InlineData("film.mp4", "/srv/renderfarm/outputs/film.mp4")]
    [InlineData("a/b/film.mp4", "/srv/renderfarm/outputs/a/b/film.mp4")]
    [InlineData("/srv/renderfarm/outputs/x.mp4", "/srv/renderfarm/outputs/x.mp4")]
    [InlineData("file:///srv/renderfarm/outputs/y%20z.mp4", "/srv/renderfarm/outputs/y z.mp4")]
    [InlineData("out_{index}.mp4", "/srv/renderfarm/outputs/out_3.mp4")]
    public void Accepted_names_resolve_inside_the_output_directory(string url, string expected) =>
        _outputs.Resolve(url, "job", 3, "OutputMediaConfig.MediaURL").Should().Be(expected);

    [Theory]
    [InlineData("file://[bad", "names a host")]
    [InlineData("file:relative.mp4", "absolute path")]
    [InlineData("a\0b.mp4", "control character")]
    [InlineData("a\nb.mp4", "control character")]
    [InlineData("../escape.mp4", "outside the output directory")]
    [InlineData("/etc/cron.d/x.mp4", "outside the output directory")]
    [InlineData("https://example.com/x.mp4", "uploads are not supported")]
    [InlineData("oss://bucket/x.mp4", "uploads are not supported")]
    [InlineData("film.mov", ".mp4")]
    public void Refused_names_say_why_and_name_the_field(string url, string reason)
    {
        var refuse = () => _outputs.Resolve(url, "job", 0, "OutputMediaConfig.MediaURL");
        var error = refuse.Should().Throw<RequestException>().Which;
        error.Path.Should().Be("OutputMediaConfig.MediaURL");
        error.Message.Should().Contain(reason).And.NotContain(Root, "the server's own paths are never shown");
    }

    [Fact]
    public void A_file_name_the_renderer_could_not_write_beside_itself_is_refused()
    {
        _outputs.Resolve(new string('n', 196) + ".mp4", "job", 0, "F").Should().EndWith(".mp4");
        var tooLong = () => _outputs.Resolve(new string('n', 220) + ".mp4", "job", 0, "OutputMediaConfig.MediaURL");
        tooLong.Should().Throw<RequestException>().WithMessage("*224 bytes; at most 200*");
        var directory = () => _outputs.Resolve(new string('d', 256) + "/x.mp4", "job", 0, "F");
        directory.Should().Throw<RequestException>().WithMessage("*directory name of 256 bytes*");
        var multibyte = () => _outputs.Resolve(new string('视', 70) + ".mp4", "job", 0, "F"); // 3 bytes each: 214 bytes
        multibyte.Should().Throw<RequestException>();
    }
}
