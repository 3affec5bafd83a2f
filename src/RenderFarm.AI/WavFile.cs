using System.Buffers.Binary;

namespace RenderFarm.AI;

/// <summary>
/// 16-bit PCM mono audio in memory, read from and written to RIFF/WAVE files. espeak-ng writes this
/// format (22050 Hz by default); the reader is tolerant of the placeholder sizes a streaming writer
/// leaves in the header (it takes the data chunk to the end of the file then).
/// </summary>
public sealed class WavFile(int sampleRate, short[] samples)
{
    public int SampleRate { get; } = sampleRate;
    public short[] Samples { get; } = samples;
    public double DurationSeconds => (double)Samples.Length / SampleRate;

    public static WavFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    public static WavFile Parse(ReadOnlySpan<byte> bytes, string name = "WAV data")
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new InvalidDataException($"{name} is not a RIFF/WAVE file");
        int? rate = null;
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = bytes.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(position + 4, 4));
            var body = position + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > bytes.Length) throw new InvalidDataException($"{name}: short fmt chunk");
                var format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body, 2));
                var channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 2, 2));
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(body + 14, 2));
                if (format != 1 || channels != 1 || bits != 16)
                    throw new InvalidDataException($"{name}: expected 16-bit PCM mono, got format {format}, {channels} channel(s), {bits} bits");
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(body + 4, 4));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (rate is null) throw new InvalidDataException($"{name}: data chunk before fmt chunk");
                var available = bytes.Length - body;
                var length = size > available ? available : (int)size;
                length -= length % 2;
                var samples = new short[length / 2];
                for (var i = 0; i < samples.Length; i++)
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(body + 2 * i, 2));
                return new WavFile(rate.Value, samples);
            }
            if (size > (uint)(bytes.Length - body)) break;
            position = body + (int)size + (int)(size & 1);
        }
        throw new InvalidDataException($"{name}: no data chunk");
    }

    public void Write(string path)
    {
        var data = Samples.Length * 2;
        var bytes = new byte[44 + data];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(36 + data));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(SampleRate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)data);
        for (var i = 0; i < Samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + 2 * i)..], Samples[i]);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Root-mean-square level of samples [start, start+count) as a fraction of full scale (0..1).</summary>
    public double Rms(int start, int count)
    {
        start = Math.Clamp(start, 0, Samples.Length);
        count = Math.Clamp(count, 0, Samples.Length - start);
        if (count == 0) return 0;
        double sum = 0;
        for (var i = start; i < start + count; i++) sum += (double)Samples[i] * Samples[i];
        return Math.Sqrt(sum / count) / 32768.0;
    }
}
