namespace RenderFarm.AI.Recognition;

/// <summary>
/// One token of a recogniser's segmentation, as the engine printed it (fillers such as <c>&lt;sil&gt;</c>
/// included), with its start and end in seconds.
/// </summary>
public sealed record RecognizedWord(string Text, double Start, double End);

/// <summary>The speech recogniser failed: not installed, timed out, or exited with an error.</summary>
public sealed class RecognitionException(string message, Exception? inner = null) : Exception(message, inner);
