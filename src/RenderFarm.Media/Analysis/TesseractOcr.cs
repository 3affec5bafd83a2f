using System.Text;
using RenderFarm.Media.Ffmpeg;

namespace RenderFarm.Media.Analysis;

/// <summary>tesseract failed on a keyframe, or is not installed with the languages asked for.</summary>
public sealed class OcrException(string message) : Exception(message);

/// <summary>
/// Reads the text in a picture with tesseract (TSV output for word confidences), run through
/// <see cref="ToolProcess"/> with an argument list; a run over the time limit is killed.
/// </summary>
internal sealed class TesseractOcr(string? tesseractPath, string languages, double minConfidence, TimeSpan timeout)
{
    public async Task<string> ReadAsync(string imagePath, CancellationToken ct) =>
        TesseractTsv.ToText(await ReadTsvAsync(imagePath, ct).ConfigureAwait(false), minConfidence);

    /// <summary>The lines of text with their boxes (a slide's title is its largest line).</summary>
    public async Task<IReadOnlyList<Slides.TextLine>> ReadLinesAsync(string imagePath, CancellationToken ct) =>
        TesseractTsv.ToLines(await ReadTsvAsync(imagePath, ct).ConfigureAwait(false), minConfidence);

    private async Task<string> ReadTsvAsync(string imagePath, CancellationToken ct)
    {
        var executable = tesseractPath ?? ToolLocator.Find("tesseract", "RENDERFARM_TESSERACT");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        using var stdout = new MemoryStream();
        ToolResult result;
        try
        {
            // --psm 3: automatic page segmentation, for text anywhere in the picture.
            result = await ToolProcess.RunAsync(executable, [imagePath, "stdout", "-l", languages, "--psm", "3", "tsv"],
                s => s.CopyToAsync(stdout), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OcrException($"tesseract took longer than {timeout.TotalSeconds:0} s on one keyframe and was stopped");
        }
        if (result.ExitCode != 0)
        {
            var line = result.StderrTail.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "no error output";
            throw new OcrException($"tesseract failed (exit code {result.ExitCode}): {line}; scripts/setup.sh installs tesseract-ocr with eng and chi_sim");
        }
        return Encoding.UTF8.GetString(stdout.ToArray());
    }
}

/// <summary>Slide text through tesseract (the OCR of media analysis), for <see cref="Slides.SlideSplitFunction"/>.</summary>
public sealed class TesseractLineReader(string? tesseractPath, string languages, double minConfidence, TimeSpan timeout) : Slides.ISlideTextReader
{
    private readonly TesseractOcr _ocr = new(tesseractPath, languages, minConfidence, timeout);

    public Task<IReadOnlyList<Slides.TextLine>> ReadLinesAsync(string imagePath, CancellationToken ct) => _ocr.ReadLinesAsync(imagePath, ct);
}
