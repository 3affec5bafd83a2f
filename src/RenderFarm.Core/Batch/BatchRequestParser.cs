using System.Globalization;
using System.Text;
using System.Text.Json;
using RenderFarm.Core.Json;
using RenderFarm.Core.Planning;
using RenderFarm.Core.Timelines;

namespace RenderFarm.Core.Batch;

/// <summary>
/// How a batch request is checked. <see cref="KnownVoices"/> comes from the speech engine the caller
/// runs: when given, every SpeechConfig.Voice must be one of them (null skips the check).
/// </summary>
public sealed record BatchParseOptions(BatchLimits? Limits = null, IReadOnlyCollection<string>? KnownVoices = null);

/// <summary>
/// Reads a SubmitBatchMediaProducingJob request. InputConfig, EditingConfig and OutputConfig may be
/// JSON objects or strings holding JSON (IMS sends strings). Every error names the JSON path of the
/// field; fields read but not honoured, and fields nobody reads, become warnings.
/// </summary>
public static class BatchRequestParser
{
    public static BatchRequest Parse(string json, BatchParseOptions? options = null)
    {
        options ??= new BatchParseOptions();
        var limits = options.Limits ?? BatchLimits.Default;
        var diagnostics = new Diagnostics();
        var root = JsonObjectReader.Parse(json, diagnostics);
        var inputReader = root.ObjectOrJsonText("InputConfig") ?? throw root.Error("InputConfig", "is required");
        var input = ReadInput(inputReader, limits);
        var mode = ModeDecision.Decide(input, inputReader.Path);
        var editingReader = root.ObjectOrJsonText("EditingConfig");
        var editing = ReadEditing(editingReader, limits, options.KnownVoices);
        var outputReader = root.ObjectOrJsonText("OutputConfig") ?? throw root.Error("OutputConfig", "is required");
        var output = ReadOutput(outputReader, limits);
        CheckModeRules(mode, input, inputReader, output, outputReader);

        var userData = root.Raw("UserData") is { } u ? (u.ValueKind == JsonValueKind.String ? u.GetString() : u.GetRawText()) : null;
        if (userData is not null && Encoding.UTF8.GetByteCount(userData) is var bytes and > 512)
            throw root.Error("UserData", $"at most 512 bytes are allowed (got {bytes})");
        var token = root.String("ClientToken");
        if (token is { Length: > 64 }) throw root.Error("ClientToken", "at most 64 characters are allowed");
        var seed = root.Integer("Seed", 0, int.MaxValue) ?? 0;
        foreach (var template in new[] { "TemplateConfig", "TemplateId" })
            if (root.Has(template)) { root.Warn(template, "batch templates are not supported; give the configs directly"); root.Accept(template); }
        root.ReportUnread();
        return new BatchRequest(input, editing, output, mode, userData, token, seed, diagnostics.Warnings);
    }

    // ---------------------------------------------------------------- InputConfig

    private static BatchInput ReadInput(JsonObjectReader r, BatchLimits limits)
    {
        var groupReaders = r.Objects("MediaGroupArray");
        CheckCount(r, "MediaGroupArray", groupReaders.Count, limits.MaxGroups);
        var groups = new List<MediaGroup>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < groupReaders.Count; i++)
        {
            var group = ReadGroup(groupReaders[i], i, limits);
            if (!names.TryAdd(group.Name, group.Path))
                throw groupReaders[i].Error("GroupName", $"'{JsonObjectReader.Excerpt(group.Name)}' is already the name of {names[group.Name]}; group names must be unique");
            groups.Add(group);
        }
        var media = MediaList(r, "MediaArray", limits.MaxMediaArrayItems);
        var search = ReadMediaSearch(r);
        string? sceneInfo = null;
        var hasShots = false;
        if (r.Raw("SceneInfo") is { } scene)
        {
            sceneInfo = scene.ValueKind == JsonValueKind.String ? scene.GetString() : scene.GetRawText();
            hasShots = sceneInfo is not null && HasShotInfo(sceneInfo);
        }
        var titles = TextList(r, "TitleArray", "Title", limits.MaxTitleLength, limits);
        var speech = TextList(r, "SpeechTextArray", "SpeechText", limits.MaxSpeechTextLength, limits);
        var stickers = Preferred(r, "StickerArray", "Sticker", name => r.Objects(name), name => r.Object(name) is { } s ? [s] : [])
            .Select(s => ReadSticker(s)).ToList();
        CheckCount(r, "StickerArray", stickers.Count, limits.MaxListItems);
        var music = Preferred(r, "BackgroundMusicArray", "BackgroundMusic", name => MediaList(r, name, limits.MaxListItems), name => MediaList(r, name, 1));
        var images = MediaList(r, "BackgroundImageArray", limits.MaxListItems);
        if (r.Has("SubHeadingArray")) { r.Warn("SubHeadingArray", "subheadings are not supported yet and were left out"); r.Accept("SubHeadingArray"); }
        return new BatchInput(groups, media, search, sceneInfo, hasShots, titles, speech, stickers, music, images);
    }

    private static MediaSearch? ReadMediaSearch(JsonObjectReader r)
    {
        var search = r.ObjectOrJsonText("MediaSearchInput");
        if (search is null) return null;
        var condition = search.Object("LibSearchCondition");
        var libraries = condition?.Strings("SearchLibs") ?? [];
        var text = condition?.String("SearchText")?.Trim();
        if (text is { Length: > Library.LibrarySearch.MaxQueryLength })
            throw condition!.Error("SearchText", $"at most {Library.LibrarySearch.MaxQueryLength} characters are allowed (got {text.Length})");
        return new MediaSearch(search.Path, libraries, text is { Length: > 0 } ? text : null);
    }

    private static MediaGroup ReadGroup(JsonObjectReader g, int index, BatchLimits limits)
    {
        var name = g.String("GroupName") ?? $"Group{index + 1}";
        if (name.Trim().Length == 0) throw g.Error("GroupName", "must not be empty");
        if (new StringInfo(name).LengthInTextElements > limits.MaxGroupNameLength)
            throw g.Error("GroupName", $"at most {limits.MaxGroupNameLength} characters are allowed (got {new StringInfo(name).LengthInTextElements})");
        if (HasEmoji(name)) throw g.Error("GroupName", "must not contain emoji (IMS rule)");
        var media = MediaList(g, "MediaArray", limits.MaxMediaPerGroup);
        if (media.Count == 0) throw g.Error("MediaArray", "must not be empty");
        var speech = TextList(g, "SpeechTextArray", null, limits.MaxSpeechTextLength, limits);
        var duration = g.Number("Duration", 0.1, limits.Timeline.MaxDurationSeconds);
        if (duration is not null && speech.Count > 0)
            g.Warn("Duration", "the group's voice-over decides its length; Duration is used only for groups without SpeechTextArray");
        var split = g.OneOf("SplitMode", Enum.GetNames<SplitMode>()) is { } s ? Enum.Parse<SplitMode>(s) : SplitMode.NoSplit;
        var volume = g.Number("Volume", 0, limits.MaxVolume);
        return new MediaGroup(g.Path, name, media, speech, duration, split, volume);
    }

    private static Sticker ReadSticker(JsonObjectReader s)
    {
        // MediaId wins over MediaURL (IMS); the node resolves it through the media library.
        var (field, url) = s.String("MediaId") is { } id && id.Trim().Length > 0 ? ("MediaId", id) : ("MediaURL", s.String("MediaURL"));
        if (url is null || url.Trim().Length == 0) throw s.Error("MediaURL", "is required (or MediaId)");
        s.Accept("MediaURL");
        Extent? Read(string name)
        {
            var v = s.Number(name, 0, 8192);
            if (v is 0 && name is "Width" or "Height") throw s.Error(name, "must be greater than 0");
            return v is { } x ? new Extent(x) : null;
        }
        var (x, y, w, h) = (Read("X"), Read("Y"), Read("Width"), Read("Height"));
        var opacity = s.Number("Opacity", 0, 1) ?? 1;
        return new Sticker(new MediaRef(s.FieldPath(field), Jobs.MediaLocation.Check(s.FieldPath(field), url.Trim())), x, y, w, h, opacity)
        {
            DyncFrames = AnimatedImages.Read(s),
        };
    }

    /// <summary>IMS: the array wins when both the array and the singular field are given.</summary>
    private static IReadOnlyList<T> Preferred<T>(JsonObjectReader r, string array, string single,
        Func<string, IReadOnlyList<T>> readArray, Func<string, IReadOnlyList<T>> readSingle)
    {
        if (r.Has(array))
        {
            if (single != array && r.Has(single)) { r.Warn(single, $"{array} is given too and takes precedence; {single} was ignored"); r.Accept(single); }
            return readArray(array);
        }
        return readSingle(single);
    }

    private static IReadOnlyList<TextItem> TextList(JsonObjectReader r, string array, string? single, int maxLength, BatchLimits limits)
    {
        var raw = Preferred(r, array, single ?? array,
            name => r.Strings(name).Select((text, i) => (Path: $"{r.FieldPath(name)}[{i}]", Text: text)).ToList(),
            name => r.String(name) is { } one ? [(r.FieldPath(name), one)] : []);
        CheckCount(r, array, raw.Count, limits.MaxListItems);
        var items = new List<TextItem>();
        foreach (var (path, text) in raw)
        {
            if (text.Trim().Length == 0) throw new RequestException(path, "must not be empty");
            var length = new StringInfo(text).LengthInTextElements;
            if (length > maxLength) throw new RequestException(path, $"at most {maxLength} characters are allowed (got {length})");
            items.Add(new TextItem(path, text));
        }
        return items;
    }

    private static IReadOnlyList<MediaRef> MediaList(JsonObjectReader r, string name, int max)
    {
        var urls = r.Strings(name);
        CheckCount(r, name, urls.Count, max);
        var list = new List<MediaRef>();
        for (var i = 0; i < urls.Count; i++)
        {
            var path = max == 1 ? r.FieldPath(name) : $"{r.FieldPath(name)}[{i}]";
            if (urls[i].Trim().Length == 0) throw new RequestException(path, "must not be empty");
            list.Add(new MediaRef(path, Jobs.MediaLocation.Check(path, urls[i].Trim())));
        }
        return list;
    }

    private static bool HasShotInfo(string sceneInfo)
    {
        try
        {
            using var doc = JsonDocument.Parse(sceneInfo);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.EnumerateObject().Any(p => p.Name.Equals("ShotInfo", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != JsonValueKind.Null);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasEmoji(string text) =>
        text.EnumerateRunes().Any(r => r.Value >= 0x1F000 || r.Value is >= 0x2600 and <= 0x27BF || r.Value == 0xFE0F);

    private static void CheckCount(JsonObjectReader owner, string field, int count, int max)
    {
        if (count > max) throw owner.Error(field, $"at most {max} are allowed (got {count})");
    }

    // ---------------------------------------------------------------- EditingConfig

    private static BatchEditing ReadEditing(JsonObjectReader? e, BatchLimits limits, IReadOnlyCollection<string>? knownVoices)
    {
        var mediaConfig = e?.ObjectOrJsonText("MediaConfig");
        // IMS mutes the source audio unless MediaConfig.Volume says otherwise.
        var mediaVolume = mediaConfig?.Number("Volume", 0, limits.MaxVolume) ?? 0;

        var speechReader = e?.ObjectOrJsonText("SpeechConfig");
        var voices = ReadVoices(speechReader, knownVoices);
        var rate = speechReader?.Number("SpeechRate", limits.MinSpeechRate, limits.MaxSpeechRate) ?? 0;
        var speechVolume = speechReader?.Number("Volume", 0, limits.MaxVolume) ?? 1;
        foreach (var unsupported in new[] { "CustomizedVoice", "Style", "SpeechLanguage", "SpecialWordsConfig" })
            if (speechReader?.Has(unsupported) == true)
            {
                speechReader.Warn(unsupported, "is not supported yet and was ignored");
                speechReader.Accept(unsupported);
            }
        var captions = TextStyleFields.Read(speechReader?.ObjectOrJsonText("AsrConfig"), TextStyleFields.CaptionDefaults);

        var title = TextStyleFields.Read(e?.ObjectOrJsonText("TitleConfig"), TextStyleFields.TitleDefaults);

        var music = e?.ObjectOrJsonText("BackgroundMusicConfig");
        // 0.2 follows the IMS examples (0.2-0.3); IMS states no default.
        var musicVolume = music?.Number("Volume", 0, limits.MaxVolume) ?? 0.2;
        // Our extension: the music goes down this many dB while the voice-over speaks (AudioMixing's ducking).
        var duck = music?.Number("Ducking", 0, 40) ?? 0;
        if (music?.Has("Style") == true) { music.Warn("Style", "there is no music library to pick a style from; give BackgroundMusicArray"); music.Accept("Style"); }

        var process = ReadProcess(e?.ObjectOrJsonText("ProcessConfig"), limits);
        return new BatchEditing(mediaVolume, new SpeechSettings(voices, rate, speechVolume, captions), title, musicVolume, process, duck);
    }

    private static IReadOnlyList<string> ReadVoices(JsonObjectReader? speech, IReadOnlyCollection<string>? known)
    {
        if (speech?.String("Voice") is not { } text) return [];
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw speech.Error("Voice", "is empty");
        if (known is null) return names.Distinct(StringComparer.Ordinal).ToList();
        return names.Select(n => known.FirstOrDefault(k => k.Equals(n, StringComparison.OrdinalIgnoreCase))
                ?? throw speech.Error("Voice", $"unknown voice '{JsonObjectReader.Excerpt(n)}'; available: {string.Join(", ", known.Order(StringComparer.Ordinal))}"))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    private static ProcessSettings ReadProcess(JsonObjectReader? p, BatchLimits limits)
    {
        var shot = p?.Number("SingleShotDuration", limits.MinShotSeconds, limits.MaxShotSeconds) ?? 3;
        var image = p?.Number("ImageDuration", limits.MinShotSeconds, limits.MaxShotSeconds) ?? shot;
        var split = p?.Bool("EnableClipSplit") ?? true;
        var allow = p?.Bool("AllowTransition") ?? false;
        var transitions = ReadTransitions(p);
        if (!allow && p?.Has("TransitionList") == true)
            p.Warn("TransitionList", "AllowTransition is not true, so no transitions are drawn");
        var seconds = p?.Number("TransitionDuration", limits.MinTransitionSeconds, limits.MaxTransitionSeconds) ?? 0.5;
        var uniform = p?.Bool("UseUniformTransition") ?? false;
        var alignment = p?.OneOf("AlignmentMode", Enum.GetNames<AlignmentMode>()) is { } a ? Enum.Parse<AlignmentMode>(a) : AlignmentMode.Cut;
        if (alignment == AlignmentMode.AutoSpeed)
            p!.Warn("AlignmentMode", "AutoSpeed is not supported yet; pictures are cut to the voice-over (Cut)");
        if (p is not null)
        {
            foreach (var flag in new[] { "AllowVfxEffect", "AllowFilter" })
                if (p.Bool(flag) == true) p.Warn(flag, "effects and filters are not supported in batch production yet and were left out");
            foreach (var ignored in new[] { "VfxEffectProbability", "VfxFirstClipEffectList", "VfxNotFirstClipEffectList", "FilterList" })
                p.Accept(ignored);
            if (p.Has("EnableClipDetection")) { p.Warn("EnableClipDetection", "applies to Image-Text Matching only"); p.Accept("EnableClipDetection"); }
        }
        return new ProcessSettings(shot, image, split, allow, transitions, seconds, uniform, alignment);
    }

    private static IReadOnlyList<string> ReadTransitions(JsonObjectReader? p)
    {
        if (p is null || !p.Has("TransitionList")) return TransitionCatalog.ImsNames;
        var raw = p.Raw("TransitionList")!.Value;
        var names = raw.ValueKind == JsonValueKind.String
            ? raw.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : p.Strings("TransitionList").ToArray();
        if (names.Length == 0) throw p.Error("TransitionList", "must not be empty");
        return names.Select(n => TransitionCatalog.Canonical(n)
                ?? throw p.Error("TransitionList", $"unknown transition '{JsonObjectReader.Excerpt(n)}'; supported: {string.Join(", ", TransitionCatalog.ImsNames)}"))
            .Distinct().ToList();
    }

    // ---------------------------------------------------------------- OutputConfig

    private static BatchOutput ReadOutput(JsonObjectReader o, BatchLimits limits)
    {
        var t = limits.Timeline;
        var count = o.Integer("Count", 1, limits.MaxCount) ?? 1;
        var field = o.Has("MediaURL") ? "MediaURL" : o.Has("FileName") ? "FileName" : "MediaURL";
        if (field == "MediaURL" && o.Has("FileName")) { o.Warn("FileName", "MediaURL is given too and takes precedence; FileName was ignored"); o.Accept("FileName"); }
        if (o.Has("StorageLocation")) { o.Warn("StorageLocation", "has no meaning for a self-hosted farm; outputs go to MediaURL / FileName"); o.Accept("StorageLocation"); }
        var pattern = o.String(field);
        if (pattern is null || pattern.Trim().Length == 0)
            throw o.Error(field, $"is required: where the outputs go, with {BatchOutput.IndexToken} for the output's number (e.g. out/video_{BatchOutput.IndexToken}.mp4)");
        if (pattern.Length > limits.MaxPatternLength)
            throw o.Error(field, $"at most {limits.MaxPatternLength} characters are allowed (got {pattern.Length})");
        Jobs.MediaLocation.Check(o.FieldPath(field), pattern);
        if (OutputEncoding.ContainerOf(pattern) is null)
            throw o.Error(field, $"must end in one of {string.Join(", ", OutputEncoding.Extensions)} (the extension names the container of every output)");
        if (count > 1 && !pattern.Contains(BatchOutput.IndexToken, StringComparison.Ordinal))
            throw o.Error(field, $"must contain {BatchOutput.IndexToken} when Count is {count}, or the outputs would overwrite each other");

        var width = o.Integer("Width", t.MinOutputSide, t.MaxOutputSide) ?? BatchOutput.DefaultWidth;
        var height = o.Integer("Height", t.MinOutputSide, t.MaxOutputSide) ?? BatchOutput.DefaultHeight;
        if (Math.Min(width, height) > t.MaxShorterSide)
            throw o.Error(o.Has("Width") ? "Width" : "Height", $"the shorter side of {width}x{height} exceeds {t.MaxShorterSide} px");
        var maxDuration = o.Number("MaxDuration", 1, t.MaxDurationSeconds);
        var fixedDuration = o.Number("FixedDuration", 1, t.MaxDurationSeconds);
        if (maxDuration is { } max && fixedDuration is { } fix && fix > max)
            throw o.Error("FixedDuration", $"must not exceed MaxDuration ({JsonObjectReader.Format(max)})");
        var preview = o.Bool("GeneratePreviewOnly") ?? false;
        var fps = o.Integer("Fps", t.MinFps, t.MaxFps);
        var bitrate = o.Integer("Bitrate", t.MinBitrateKbps, t.MaxBitrateKbps);
        return new BatchOutput(pattern, count, maxDuration, fixedDuration, width, height, preview, fps, bitrate);
    }

    // ---------------------------------------------------------------- rules across the configs

    private static void CheckModeRules(ModeDecision mode, BatchInput input, JsonObjectReader inputReader, BatchOutput output, JsonObjectReader outputReader)
    {
        if (!mode.IsScriptToVideo) return;
        if (input.SceneInfoJson is not null) inputReader.Warn("SceneInfo", "applies to Image-Text Matching only and was ignored");
        var globalSpeech = inputReader.Has("SpeechTextArray") ? "SpeechTextArray" : "SpeechText";
        var voicedGroup = input.MediaGroups.FirstOrDefault(g => g.SpeechTexts.Count > 0);
        if (input.SpeechTexts.Count > 0 && voicedGroup is not null)
            throw inputReader.Error(globalSpeech, $"cannot be combined with {voicedGroup.Path}.SpeechTextArray: global and per-group voice-over are exclusive (IMS)");
        if (output.FixedDuration is not null)
        {
            if (mode.Mode == BatchMode.ScriptToVideoSegmented)
                throw outputReader.Error("FixedDuration", "is not supported in Segmented Scripts mode: each group's voice-over or Duration decides its length");
            if (input.SpeechTexts.Count > 0)
                throw outputReader.Error("FixedDuration", $"cannot be combined with voice-over text ({inputReader.FieldPath(globalSpeech)}): the voice-over decides the length");
        }
        if (mode.Mode == BatchMode.ScriptToVideoSegmented && output.MaxDuration is not null)
            outputReader.Warn("MaxDuration", "applies to Global Scripts only; in Segmented Scripts mode the groups decide the length");
        if (mode.Mode == BatchMode.ScriptToVideoGlobal)
            foreach (var group in input.MediaGroups.Where(g => g.SplitMode != SplitMode.NoSplit))
                inputReader.Diagnostics.Warn($"{group.Path}.SplitMode", "applies to Segmented Scripts only and was ignored");
    }
}
