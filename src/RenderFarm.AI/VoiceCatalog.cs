using System.Text;
using RenderFarm.Core.Json;

namespace RenderFarm.AI;

/// <summary>Gender of an IMS voice as listed by Alibaba (children's voices count as female here).</summary>
public enum VoiceGender { Female, Male }

/// <summary>
/// One IMS voice: its name, language (<c>cmn</c> Mandarin, <c>yue</c> Cantonese, <c>en-us</c>, <c>en-gb</c>),
/// gender and the espeak-ng voice that stands in for it (<c>language+variant</c>).
/// </summary>
public sealed record VoiceEntry(string Name, string Language, VoiceGender Gender, string Espeak, string Description);

/// <summary>
/// The IMS (Alibaba intelligent-speech) voice names this farm accepts and the espeak-ng voice each is
/// rendered with. Mandarin voices use espeak's <c>cmn</c>, Cantonese ones <c>yue</c>, American English
/// <c>en-us</c> and British English <c>en-gb</c>; the espeak variant (<c>+f1</c>..<c>+f5</c> female,
/// <c>+m1</c>..<c>+m7</c> male) follows the voice's gender and is spread over the voices so that two IMS
/// voices of one language rarely sound the same. Names are matched case-insensitively and an
/// <c>_emo</c>/<c>-emo</c> suffix (Alibaba's multi-emotion editions) resolves to the base voice.
/// Genders come from public Alibaba voice lists; a wrong one is fixed in <see cref="Entries"/> only.
/// </summary>
public static class VoiceCatalog
{
    /// <summary>The voice used when a clip gives none.</summary>
    public const string DefaultVoice = "xiaoyun";

    public static IReadOnlyList<VoiceEntry> Entries { get; } =
    [
        // Mandarin (cmn)
        V("xiaoyun", "cmn", VoiceGender.Female, "f3", "standard female"),
        V("xiaogang", "cmn", VoiceGender.Male, "m3", "standard male"),
        V("ruoxi", "cmn", VoiceGender.Female, "f2", "gentle female"),
        V("siqi", "cmn", VoiceGender.Female, "f4", "gentle female"),
        V("sijia", "cmn", VoiceGender.Female, "f1", "standard female"),
        V("sicheng", "cmn", VoiceGender.Male, "m1", "standard male"),
        V("sitong", "cmn", VoiceGender.Female, "f5", "young female"),
        V("siyue", "cmn", VoiceGender.Female, "f2", "gentle female"),
        V("sijing", "cmn", VoiceGender.Female, "f4", "stern female"),
        V("aiqi", "cmn", VoiceGender.Female, "f5", "sweet female"),
        V("aijia", "cmn", VoiceGender.Female, "f2", "standard female"),
        V("aicheng", "cmn", VoiceGender.Male, "m2", "standard male"),
        V("aida", "cmn", VoiceGender.Male, "m4", "standard male"),
        V("aixia", "cmn", VoiceGender.Female, "f1", "warm female"),
        V("aiya", "cmn", VoiceGender.Female, "f4", "stern female"),
        V("aiwei", "cmn", VoiceGender.Female, "f3", "gentle female"),
        V("aimei", "cmn", VoiceGender.Female, "f5", "sweet female"),
        V("aiyu", "cmn", VoiceGender.Female, "f1", "natural female"),
        V("aiyue", "cmn", VoiceGender.Female, "f2", "gentle female"),
        V("aijing", "cmn", VoiceGender.Female, "f4", "stern female"),
        V("aitong", "cmn", VoiceGender.Female, "f5", "child"),
        V("xiaobei", "cmn", VoiceGender.Female, "f5", "child"),
        V("ninger", "cmn", VoiceGender.Female, "f3", "standard female"),
        V("ruilin", "cmn", VoiceGender.Female, "f1", "standard female"),
        V("yina", "cmn", VoiceGender.Female, "f2", "standard female"),
        V("zhichu", "cmn", VoiceGender.Male, "m3", "narration male"),
        V("zhida", "cmn", VoiceGender.Male, "m5", "standard male"),
        V("zhide", "cmn", VoiceGender.Male, "m6", "news male"),
        V("zhinan", "cmn", VoiceGender.Male, "m2", "male"),
        V("zhixiang", "cmn", VoiceGender.Male, "m7", "male"),
        V("zhihao", "cmn", VoiceGender.Male, "m1", "male"),
        V("zhishuo", "cmn", VoiceGender.Male, "m4", "male"),
        V("zhifeng", "cmn", VoiceGender.Male, "m5", "emotional male"),
        V("zhibing", "cmn", VoiceGender.Male, "m6", "emotional male"),
        V("zhiru", "cmn", VoiceGender.Female, "f2", "news female"),
        V("zhimiao", "cmn", VoiceGender.Female, "f3", "emotional female"),
        V("zhiyan", "cmn", VoiceGender.Female, "f4", "emotional female"),
        V("zhimi", "cmn", VoiceGender.Female, "f1", "emotional female"),
        V("zhitian", "cmn", VoiceGender.Female, "f5", "sweet female"),
        V("zhiqi", "cmn", VoiceGender.Female, "f1", "female"),
        V("zhijia", "cmn", VoiceGender.Female, "f2", "female"),
        V("zhiqian", "cmn", VoiceGender.Female, "f3", "female"),
        V("zhiwei", "cmn", VoiceGender.Female, "f4", "female"),
        V("zhiyuan", "cmn", VoiceGender.Female, "f5", "female"),
        V("zhiyue", "cmn", VoiceGender.Female, "f1", "female"),
        V("zhiya", "cmn", VoiceGender.Female, "f2", "customer-service female"),
        V("zhimao", "cmn", VoiceGender.Female, "f3", "live-stream female"),
        V("zhigui", "cmn", VoiceGender.Female, "f4", "live-stream female"),
        V("kenny", "cmn", VoiceGender.Male, "m3", "calm male"),
        V("stanley", "cmn", VoiceGender.Male, "m7", "calm male"),
        V("rosa", "cmn", VoiceGender.Female, "f3", "natural female"),
        // Cantonese (yue)
        V("jiajia", "yue", VoiceGender.Female, "f3", "Cantonese female"),
        V("taozi", "yue", VoiceGender.Female, "f2", "Cantonese female"),
        V("shanshan", "yue", VoiceGender.Female, "f4", "Cantonese female"),
        V("kelly", "yue", VoiceGender.Female, "f1", "Hong Kong Cantonese female"),
        // American English (en-us)
        V("andy", "en-us", VoiceGender.Male, "m3", "American male"),
        V("brian", "en-us", VoiceGender.Male, "m1", "American male"),
        V("abby", "en-us", VoiceGender.Female, "f3", "American female"),
        V("annie", "en-us", VoiceGender.Female, "f2", "American female"),
        V("ava", "en-us", VoiceGender.Female, "f4", "American female"),
        V("betty", "en-us", VoiceGender.Female, "f1", "American female"),
        V("beth", "en-us", VoiceGender.Female, "f5", "American female"),
        V("cally", "en-us", VoiceGender.Female, "f2", "American female"),
        V("cindy", "en-us", VoiceGender.Female, "f3", "American female"),
        V("donna", "en-us", VoiceGender.Female, "f4", "American female"),
        V("eva", "en-us", VoiceGender.Female, "f1", "American female"),
        // British English (en-gb)
        V("harry", "en-gb", VoiceGender.Male, "m3", "British male"),
        V("eric", "en-gb", VoiceGender.Male, "m1", "British male"),
        V("luca", "en-gb", VoiceGender.Male, "m2", "British male"),
        V("william", "en-gb", VoiceGender.Male, "m4", "British male"),
        V("emily", "en-gb", VoiceGender.Female, "f3", "British female"),
        V("luna", "en-gb", VoiceGender.Female, "f2", "British female"),
        V("olivia", "en-gb", VoiceGender.Female, "f4", "British female"),
        V("wendy", "en-gb", VoiceGender.Female, "f1", "British female"),
    ];

    private static readonly Dictionary<string, VoiceEntry> ByName =
        Entries.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    private static VoiceEntry V(string name, string language, VoiceGender gender, string variant, string description) =>
        new(name, language, gender, $"{language}+{variant}", description);

    /// <summary>The known voice names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The entry for one voice name, or null.</summary>
    public static VoiceEntry? Find(string name)
    {
        var key = name.Trim();
        if (ByName.TryGetValue(key, out var entry)) return entry;
        foreach (var suffix in new[] { "_emo", "-emo" })
            if (key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && ByName.TryGetValue(key[..^suffix.Length], out entry))
                return entry;
        return null;
    }

    /// <summary>
    /// Resolves an IMS <c>Voice</c> value: one name, or a comma-separated list of names from which one is picked
    /// by <paramref name="seed"/> (same list and seed → same voice, on every machine and run: the index is a
    /// 64-bit FNV-1a hash of seed and list, modulo the list length). Empty or null → <see cref="DefaultVoice"/>.
    /// Unknown names throw <see cref="RequestException"/> on <paramref name="field"/>, listing the known voices.
    /// </summary>
    public static VoiceEntry Resolve(string? voice, string seed = "", string field = "Voice")
    {
        if (string.IsNullOrWhiteSpace(voice)) return ByName[DefaultVoice];
        var names = voice.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) return ByName[DefaultVoice];
        var unknown = names.Where(n => Find(n) is null).ToArray();
        if (unknown.Length > 0)
            throw new RequestException(field,
                $"unknown voice{(unknown.Length > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known voices: {string.Join(", ", Names)}");
        if (names.Length == 1) return Find(names[0])!;
        var index = (int)(StableHash($"{seed}\n{string.Join(",", names.Select(n => n.ToLowerInvariant()))}") % (ulong)names.Length);
        return Find(names[index])!;
    }

    /// <summary>64-bit FNV-1a over the UTF-8 bytes (stable across processes, unlike string.GetHashCode).</summary>
    internal static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
