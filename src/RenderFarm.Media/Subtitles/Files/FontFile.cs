using System.Buffers.Binary;
using System.Text;

namespace RenderFarm.Media.Subtitles.Files;

/// <summary>
/// The family name of a TrueType/OpenType font (or the first font of a collection), read from its 'name' table:
/// the name libass looks the font up by once it is loaded from the fonts directory. Pure: bytes in, name out.
/// </summary>
public static class FontFile
{
    public const int MaxBytes = 50 * 1024 * 1024;

    /// <summary>The family name, or null with <paramref name="reason"/> when the bytes are not a usable font.</summary>
    public static string? FamilyName(ReadOnlySpan<byte> font, out string reason)
    {
        reason = "not a TrueType/OpenType font (ttf, otf or ttc)";
        try
        {
            var start = 0;
            if (Tag(font, 0) == "ttcf") start = checked((int)U32(font, 12));
            var version = U32(font, start);
            if (version is not (0x00010000 or 0x4F54544F /* OTTO */ or 0x74727565 /* true */)) return null;
            var tables = U16(font, start + 4);
            for (var i = 0; i < tables; i++)
            {
                var record = start + 12 + 16 * i;
                if (Tag(font, record) != "name") continue;
                var name = Family(font.Slice(checked((int)U32(font, record + 8)), checked((int)U32(font, record + 12))));
                if (name is null) { reason = "the font names no family"; return null; }
                // The name goes into an ASS style line, where a comma would end the field.
                if (name.Contains(',')) { reason = $"the font's family name '{name}' contains a comma"; return null; }
                return name;
            }
            reason = "the font has no name table";
            return null;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    // nameID 1 (family): Windows Unicode (English first), then any Unicode, then Mac Roman.
    private static string? Family(ReadOnlySpan<byte> table)
    {
        var count = U16(table, 2);
        var strings = U16(table, 4);
        (int Rank, string Name)? best = null;
        for (var i = 0; i < count; i++)
        {
            var r = 6 + 12 * i;
            var (platform, language, nameId) = (U16(table, r), U16(table, r + 4), U16(table, r + 6));
            if (nameId != 1) continue;
            var bytes = table.Slice(strings + U16(table, r + 10), U16(table, r + 8));
            var (rank, name) = platform switch
            {
                3 => (language == 0x409 ? 0 : 1, Encoding.BigEndianUnicode.GetString(bytes)),
                0 => (2, Encoding.BigEndianUnicode.GetString(bytes)),
                1 => (3, Encoding.Latin1.GetString(bytes)),
                _ => (9, ""),
            };
            name = name.Trim();
            if (name.Length > 0 && (best is null || rank < best.Value.Rank)) best = (rank, name);
        }
        return best?.Name;
    }

    private static string Tag(ReadOnlySpan<byte> b, int at) => Encoding.ASCII.GetString(b.Slice(at, 4));
    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b.Slice(at, 4));
    private static int U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16BigEndian(b.Slice(at, 2));
}
