using RenderFarm.AI.Faces;
using RenderFarm.Core.Imaging;

namespace RenderFarm.AI.Tests.Faces;

/// <summary>BlazeFace's pure steps on arrays: the letterbox, the tiles of a wide frame, anchor decoding and weighted suppression.</summary>
public sealed class FaceDecodingTests
{
    [Fact]
    public void A_1080p_frame_is_letterboxed_centred_and_points_map_back_to_its_pixels()
    {
        var box = FaceLetterbox.Fit(1920, 1080, 128);
        box.Scale.Should().BeApproximately(128 / 1920.0, 1e-12);
        box.OffsetX.Should().Be(0);
        box.OffsetY.Should().BeApproximately(28, 1e-9); // (128 - 72) / 2
        box.ToPicture(0.5, 0.5).Should().Be((960.0, 540.0));
        box.ToPicture(0, 28 / 128.0).Y.Should().BeApproximately(0, 1e-9);
        box.ToPictureLength(0.25).Should().BeApproximately(480, 1e-9);

        var tile = FaceLetterbox.Fit(840, 0, 1080, 1080, 256);
        tile.ToPicture(0, 0).Should().Be((840.0, 0.0));
        tile.ToPicture(1, 1).X.Should().BeApproximately(1920, 1e-9);
    }

    [Fact]
    public void A_wide_frame_is_seen_in_overlapping_squares_of_its_height_and_a_square_one_whole()
    {
        FaceLetterbox.Tiles(1920, 1080).Should().Equal((0, 0, 1080, 1080), (420, 0, 1080, 1080), (840, 0, 1080, 1080));
        FaceLetterbox.Tiles(1080, 1920).Should().Equal((0, 0, 1080, 1080), (0, 420, 1080, 1080), (0, 840, 1080, 1080));
        FaceLetterbox.Tiles(512, 512).Should().Equal((0, 0, 512, 512));
        FaceLetterbox.Tiles(640, 540).Should().Equal((0, 0, 640, 540));
    }

    [Fact]
    public void The_tensor_holds_the_picture_in_minus_one_to_one_with_black_padding_and_averages_when_reducing()
    {
        // 4x2, left half white, right half black, into a 4x4 square: rows 1 and 2 are the picture, rows 0 and 3 black padding.
        var pixels = new byte[4 * 2 * 3];
        for (var y = 0; y < 2; y++)
            for (var x = 0; x < 2; x++)
                pixels.AsSpan((y * 4 + x) * 3, 3).Fill(255);
        var tensor = FaceLetterbox.Fit(4, 2, 4).Tensor(new RgbImage(pixels, 4, 2));
        float Red(int x, int y) => tensor[(y * 4 + x) * 3];
        Enumerable.Range(0, 4).Select(x => Red(x, 0)).Should().Equal(-1, -1, -1, -1);
        Enumerable.Range(0, 4).Select(x => Red(x, 1)).Should().Equal(1, 1, -1, -1);
        Enumerable.Range(0, 4).Select(x => Red(x, 2)).Should().Equal(1, 1, -1, -1);
        Enumerable.Range(0, 4).Select(x => Red(x, 3)).Should().Equal(-1, -1, -1, -1);

        // A grey 2x2 patch averaged to one pixel: (0 + 255 + 255 + 0) / 4 = 127.5 -> 0.
        var checker = new byte[2 * 2 * 3];
        checker.AsSpan(3, 3).Fill(255);
        checker.AsSpan(6, 3).Fill(255);
        FaceLetterbox.Fit(2, 2, 1).Tensor(new RgbImage(checker, 2, 2)).Should().AllSatisfy(v => v.Should().BeApproximately(0, 1e-6f));
    }

    [Fact]
    public void An_anchor_with_a_high_score_decodes_to_its_cell_centre_plus_the_offset_and_low_scores_are_dropped()
    {
        var scores = BlazeFaceDecoder.Layers.Select(l => Enumerable.Repeat(-10f, l.Cells * l.Cells * l.AnchorsPerCell).ToArray()).ToList();
        var boxes = BlazeFaceDecoder.Layers.Select(l => new float[l.Cells * l.Cells * l.AnchorsPerCell * BlazeFaceDecoder.Values]).ToList();
        // Layer 2 (8x8 cells, 6 anchors): cell (x 3, y 5), its 4th anchor; centre (3.5/8, 5.5/8) plus (+16, -8) px of 128.
        var i = (5 * 8 + 3) * 6 + 3;
        scores[1][i] = 3; // sigmoid 0.953
        float[] values = [16, -8, 32, 48];
        values.CopyTo(boxes[1], i * BlazeFaceDecoder.Values);

        var found = BlazeFaceDecoder.Candidates(scores, boxes, 128, minScore: 0.5);
        found.Should().ContainSingle();
        found[0].CentreX.Should().BeApproximately(3.5 / 8 + 16 / 128.0, 1e-6);
        found[0].CentreY.Should().BeApproximately(5.5 / 8 - 8 / 128.0, 1e-6);
        found[0].Width.Should().BeApproximately(0.25, 1e-6);
        found[0].Height.Should().BeApproximately(0.375, 1e-6);
        found[0].Score.Should().BeApproximately(1 / (1 + Math.Exp(-3)), 1e-6);
        BlazeFaceDecoder.Anchors.Should().Be(896);
    }

    [Fact]
    public void Overlapping_boxes_merge_into_their_score_weighted_mean_with_the_best_score_and_a_distant_box_stays()
    {
        var merged = BlazeFaceDecoder.Suppress([
            new FaceCandidate(100, 100, 40, 40, 0.6),
            new FaceCandidate(104, 100, 40, 40, 0.9),
            new FaceCandidate(300, 100, 40, 40, 0.7),
        ]);
        merged.Should().HaveCount(2);
        merged[0].Score.Should().Be(0.9);
        merged[0].CentreX.Should().BeApproximately((100 * 0.6 + 104 * 0.9) / 1.5, 1e-9);
        merged[1].CentreX.Should().Be(300);
        merged[1].Score.Should().Be(0.7);
    }
}
