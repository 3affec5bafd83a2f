using RenderFarm.Core.Json;

namespace RenderFarm.Core.Batch;

/// <summary>
/// A parsed SubmitBatchMediaProducingJob request: the three configs, the mode IMS would choose for
/// them, and the warnings about fields that are accepted but not honoured.
/// </summary>
public sealed record BatchRequest(
    BatchInput Input,
    BatchEditing Editing,
    BatchOutput Output,
    ModeDecision Mode,
    string? UserData,
    string? ClientToken,
    int Seed,
    IReadOnlyList<Warning> Warnings);
