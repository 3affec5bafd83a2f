using RenderFarm.AI.Faces;
using RenderFarm.Core.Imaging;
using RenderFarm.Media.Ai;
using RenderFarm.TestSupport;

namespace RenderFarm.AI.Tests.Faces;

/// <summary>
/// BlazeFace on a real photograph: the astronaut's face where it is, in the photo itself and small in a 1080p frame
/// (where the frame is looked at in tiles); none in a part of the photo without a face.
/// </summary>
public sealed class BlazeFaceTests(ITestOutputHelper output) : IDisposable
{
    // The astronaut's face in astronaut.png (512x512): hairline to chin, ear to ear, measured by eye.
    private const double FaceLeft = 176, FaceTop = 78, FaceSize = 98;

    private readonly TempDir _dir = new();
    private readonly BlazeFace _faces = new();

    private RgbImage Picture(string filter)
    {
        var png = _dir.File(Guid.NewGuid().ToString("N") + ".png");
        Tool.Ffmpeg("-i", Photos.Astronaut(), "-vf", filter, "-frames:v", "1", png);
        var (rgb, width, height) = Inspect.Frame(png, 0);
        return new RgbImage(rgb, width, height);
    }

    private IReadOnlyList<DetectedFace> Detect(RgbImage picture)
    {
        var faces = _faces.Detect(picture);
        output.WriteLine($"{picture.Width}x{picture.Height}: " + string.Join("; ", faces.Select(f => $"({f.X:0},{f.Y:0}) {f.Width:0}x{f.Height:0} score {f.Score:0.00}")));
        return faces;
    }

    private static double Iou(DetectedFace f, double x, double y, double w, double h)
    {
        var iw = Math.Max(0, Math.Min(f.X + f.Width, x + w) - Math.Max(f.X, x));
        var ih = Math.Max(0, Math.Min(f.Y + f.Height, y + h) - Math.Max(f.Y, y));
        return iw * ih / (f.Width * f.Height + w * h - iw * ih);
    }

    [Fact]
    public void The_astronauts_face_is_found_with_a_box_covering_it_in_her_photo_and_small_in_a_1080p_frame()
    {
        var photo = Detect(Picture("null"));
        photo.Should().ContainSingle();
        Iou(photo[0], FaceLeft, FaceTop, FaceSize, FaceSize).Should().BeGreaterThan(0.7);

        // Scaled to 540x540 and placed at (700, 300) in a grey 1920x1080 frame: the face is about 100 px, a tenth of the height.
        const double scale = 540 / 512.0;
        var frame = Detect(Picture("scale=540:540,pad=1920:1080:700:300:gray"));
        frame.Should().ContainSingle();
        Iou(frame[0], 700 + FaceLeft * scale, 300 + FaceTop * scale, FaceSize * scale, FaceSize * scale).Should().BeGreaterThan(0.7);
        frame[0].Score.Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void A_picture_without_a_face_gives_none()
    {
        // The lower part of the photo: her suit, its badges, the helmet and the flag.
        Detect(Picture("crop=512:200:0:312")).Should().BeEmpty();
    }

    public void Dispose()
    {
        _faces.Dispose();
        _dir.Dispose();
    }
}
