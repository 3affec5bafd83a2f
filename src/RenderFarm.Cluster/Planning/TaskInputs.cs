using System.Text.Json;

namespace RenderFarm.Cluster.Planning;

/// <summary>What an encode-segment task renders: frames [StartFrame, EndFrame) of its video.</summary>
public sealed record SegmentInput(long StartFrame, long EndFrame);

/// <summary>What an assemble task joins: the segment artifacts in order, the audio artifact key, the output file.</summary>
public sealed record AssembleInput(IReadOnlyList<string> SegmentKeys, string AudioKey, string OutputPath, long Frames);

/// <summary>What a tts, asr or matte task does: one clip's AI work.</summary>
public sealed record AiInput(string ClipPath);

public static class TaskInputJson
{
    public static string Write<T>(T input) => JsonSerializer.Serialize(input);
    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json) ?? throw new InvalidDataException("empty task input");
}
