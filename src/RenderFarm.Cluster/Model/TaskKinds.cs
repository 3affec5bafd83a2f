namespace RenderFarm.Cluster.Model;

/// <summary>Task kind names (queue names and config keys) and whether a kind wants a GPU node.</summary>
public static class TaskKinds
{
    private static readonly (TaskKind Kind, string Name, bool Gpu)[] Table =
    [
        (TaskKind.EncodeSegment, "encode-segment", false),
        // A segment of a video planned for h264_nvenc: only gpu nodes whose nvenc check passed at start take these.
        (TaskKind.EncodeSegmentNvenc, "encode-segment-nvenc", true),
        (TaskKind.Assemble, "assemble", false),
        (TaskKind.EncodeAudio, "encode-audio", false),
        (TaskKind.Tts, "tts", false),
        (TaskKind.Asr, "asr", false),
        (TaskKind.Ocr, "ocr", false),
        (TaskKind.Embed, "embed", true),
        (TaskKind.Matte, "matte", true),
        // A media library entry analysed once: shots, keyframes, OCR, transcript, picture statistics.
        (TaskKind.Analyse, "analyse", false),
        // One media-AI function of SubmitIProductionJob (AudioMixing, SlideSplit, ...) on one input.
        (TaskKind.Produce, "iproduction", false),
    ];

    public static IReadOnlyList<TaskKind> All { get; } = Table.Select(t => t.Kind).ToList();

    public static string Name(TaskKind kind) => Table.Single(t => t.Kind == kind).Name;

    public static TaskKind Parse(string name) =>
        Table.FirstOrDefault(t => t.Name == name) is { Name: not null } found
            ? found.Kind
            : throw new ArgumentException($"unknown task kind '{name}'; known: {string.Join(", ", Table.Select(t => t.Name))}");

    public static bool IsGpu(TaskKind kind) => Table.Single(t => t.Kind == kind).Gpu;

    /// <summary>A segment of a video, whichever encoder its video was planned for.</summary>
    public static bool IsSegment(TaskKind kind) => kind is TaskKind.EncodeSegment or TaskKind.EncodeSegmentNvenc;

}
