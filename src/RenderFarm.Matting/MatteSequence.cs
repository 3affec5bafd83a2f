namespace RenderFarm.Matting;

/// <summary>
/// Turns analysed mattes, pushed in order with their place on the plan's analysis grid (a picture the
/// motion gate let pass is simply not pushed), into the output frames of a <see cref="MattePlan"/>:
/// <list type="number">
/// <item>temporal smoothing: a centred three-tap average over analysed mattes (neighbour weight
/// <c>smoothing / 3</c> each; at either end the missing neighbour is the matte itself), so it
/// damps flicker without delaying the matte;</item>
/// <item>linear interpolation between the two smoothed mattes around each output frame, however
/// far apart on the grid they are;</item>
/// <item>the IMS threshold: a value below <c>Thres / 255</c> becomes 0, others are kept.</item>
/// </list>
/// Frames are emitted as 8-bit gray (0..255) as soon as they are known, so memory holds three
/// mattes whatever the clip's length. Pure: no I/O besides the emit callback.
/// </summary>
internal sealed class MatteSequence(MattePlan plan, double smoothing, double threshold, Func<byte[], ValueTask> emit)
{
    private readonly float neighbour = (float)(smoothing / 3);
    private readonly float cut = (float)(threshold / 255);
    private float[]? before, current, smoothedBefore;
    private int pushed, currentIndex = -1, smoothedBeforeIndex;
    private long next;

    /// <summary>Analysed mattes received so far.</summary>
    public int Pushed => pushed;

    /// <summary>Output frames emitted so far.</summary>
    public long Emitted => next;

    /// <summary>The matte of the next picture of the analysis grid.</summary>
    public ValueTask PushAsync(float[] matte) => PushAsync(currentIndex + 1, matte);

    /// <summary>The matte of grid picture <paramref name="index"/> (after every one pushed before).</summary>
    public async ValueTask PushAsync(int index, float[] matte)
    {
        if (index >= plan.AnalysedFrames) throw new InvalidOperationException("more mattes than the plan analyses");
        if (index <= currentIndex) throw new InvalidOperationException($"matte {index} pushed after matte {currentIndex}");
        if (current is not null)
            await EmitAsync(currentIndex, Smooth(before ?? current, current, matte)).ConfigureAwait(false);
        before = current;
        current = matte;
        currentIndex = index;
        pushed++;
    }

    /// <summary>
    /// Ends the sequence. When the last matte is not at the plan's last analysed time (the source ran
    /// out: a clip running past the end of its video, a still image; or the picture stopped changing),
    /// the last matte stands for the rest.
    /// </summary>
    public async ValueTask CompleteAsync()
    {
        if (current is null) throw new InvalidOperationException("no picture could be analysed");
        if (currentIndex < plan.AnalysedFrames - 1) await PushAsync(current).ConfigureAwait(false);
        if (currentIndex < plan.AnalysedFrames - 1) await PushAsync(plan.AnalysedFrames - 1, current).ConfigureAwait(false);
        await EmitAsync(currentIndex, Smooth(before ?? current, current, current)).ConfigureAwait(false);
        if (next != plan.OutputFrames) throw new InvalidOperationException($"emitted {next} of {plan.OutputFrames} frames");
    }

    private float[] Smooth(float[] previous, float[] matte, float[] following)
    {
        if (neighbour == 0) return matte;
        var centre = 1 - 2 * neighbour;
        var result = new float[matte.Length];
        for (var i = 0; i < result.Length; i++) result[i] = centre * matte[i] + neighbour * (previous[i] + following[i]);
        return result;
    }

    /// <summary>Emits every output frame at or before analysed picture k, given its smoothed matte.</summary>
    private async ValueTask EmitAsync(int k, float[] smoothed)
    {
        for (; next < plan.OutputFrames; next++)
        {
            var position = plan.Position(next);
            if (position > k) break;
            var weight = smoothedBefore is null ? 1f : (float)Math.Clamp((position - smoothedBeforeIndex) / (k - smoothedBeforeIndex), 0, 1);
            await emit(ToGray(smoothedBefore ?? smoothed, smoothed, weight)).ConfigureAwait(false);
        }
        smoothedBefore = smoothed;
        smoothedBeforeIndex = k;
    }

    private byte[] ToGray(float[] from, float[] to, float weight)
    {
        var gray = new byte[to.Length];
        for (var i = 0; i < gray.Length; i++)
        {
            var v = from[i] + (to[i] - from[i]) * weight;
            gray[i] = v < cut || v <= 0 ? (byte)0 : v >= 1 ? (byte)255 : (byte)(v * 255 + 0.5f);
        }
        return gray;
    }
}
