using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using RenderFarm.Core.Json;

namespace RenderFarm.AI;

/// <summary>
/// A chain of espeak-ng SSML elements (prosody, emphasis) around a stretch of text, outermost last.
/// Compared by reference: all text inside one source element shares one <see cref="Wrap"/>.
/// </summary>
internal sealed class Wrap(string open, string close, Wrap? parent)
{
    public string Open { get; } = open;
    public string Close { get; } = close;
    public Wrap? Parent { get; } = parent;

    public string OpenAll() => (Parent?.OpenAll() ?? "") + Open;
    public string CloseAll() => Close + (Parent?.CloseAll() ?? "");
}

/// <summary>An item of parsed content: text, a silence, or a forced sentence boundary.</summary>
internal abstract record SpeechItem;

/// <summary>
/// Text. Plain text has <see cref="Written"/> == <see cref="Spoken"/> and may be split between sentences;
/// an <see cref="Atomic"/> piece (a <c>&lt;sub&gt;</c> or <c>&lt;say-as&gt;</c>) stays whole, and its
/// <see cref="Markup"/> (espeak SSML, already escaped) may differ from the escaped spoken text.
/// </summary>
internal sealed record TextItem(string Written, string Spoken, Wrap? Wrap, bool Atomic = false, string? Markup = null) : SpeechItem;

internal sealed record BreakItem(double Seconds) : SpeechItem;

internal sealed record BoundaryItem : SpeechItem
{
    public static readonly BoundaryItem Instance = new();
}

/// <summary>Parsed content: its items, the <c>&lt;speak&gt;</c> root's overrides and what was dropped on the way.</summary>
internal sealed record SpeechDocument(IReadOnlyList<SpeechItem> Items, string? Voice, int? Rate, int? Pitch, int? Volume, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads IMS <c>Content</c>: SSML when it starts with <c>&lt;speak</c> (after white space), plain text otherwise.
/// <list type="bullet">
/// <item><c>&lt;speak&gt;</c> root (an XML declaration may precede it); its <c>voice</c>, <c>rate</c>, <c>pitch</c> (-500..500) and <c>volume</c> (0..100)
/// attributes override the clip's fields; other attributes (e.g. Alibaba's <c>bgm</c>) are ignored with a warning, output-format ones silently.</item>
/// <item><c>&lt;break time="1500ms|2s"/&gt;</c> or <c>strength</c> (none 0, x-weak 0.25 s, weak 0.5 s, medium 0.75 s, strong 1 s, x-strong 1.25 s;
/// a bare break is medium) → exactly that much silence, capped at 10 s; a break ends the sentence.</item>
/// <item><c>&lt;sub alias="…"&gt;written&lt;/sub&gt;</c> → the alias is spoken, the written text captioned.</item>
/// <item><c>&lt;say-as interpret-as&gt;</c>: <c>digits</c> (one digit at a time), <c>telephone</c> (digits, separators as pauses),
/// <c>characters</c> (espeak spells it), <c>cardinal</c> (a number, read as one); anything else (date, time, …) is spoken as written, with a warning.</item>
/// <item><c>&lt;prosody rate|pitch|volume&gt;</c> and <c>&lt;emphasis level&gt;</c> are passed to espeak-ng, which supports them; invalid values and other prosody attributes are dropped with a warning.</item>
/// <item><c>&lt;s&gt;</c>, <c>&lt;p&gt;</c> end a sentence. Any other element is removed with a warning; its text is kept (as SSML processors do),
/// so the tag itself is never spoken. Comments and processing instructions are ignored.</item>
/// </list>
/// Malformed XML is a <see cref="RequestException"/> on <c>Content</c> giving line and column.
/// </summary>
internal static class SsmlParser
{
    private const double MaxBreakSeconds = 10;

    public static bool IsSsml(string content)
    {
        var start = content.AsSpan().TrimStart();
        return start.StartsWith("<speak", StringComparison.Ordinal) || start.StartsWith("<?xml", StringComparison.Ordinal);
    }

    /// <summary>&lt;speak&gt; attributes that are read (voice, rate, pitch, volume) or harmless to ignore (output format, XML bookkeeping).</summary>
    private static readonly HashSet<string> SpeakAttributes = ["voice", "rate", "pitch", "volume", "version", "lang", "encodeType", "sampleRate", "format"];

    /// <summary>Parses content; <paramref name="field"/> names it in errors.</summary>
    public static SpeechDocument Parse(string content, string field = "Content")
    {
        if (!IsSsml(content)) return PlainText(content);
        return new Reader(content, field).Read();
    }

    internal static SpeechDocument PlainText(string content)
    {
        var items = new List<SpeechItem>();
        foreach (var line in content.Replace("\r\n", "\n").Split('\n', '\r'))
        {
            if (line.Length > 0) items.Add(new TextItem(line, line, null));
            items.Add(BoundaryItem.Instance);
        }
        return new SpeechDocument(items, null, null, null, null, []);
    }

    internal static string Escape(string text) => SecurityElement.Escape(text);

    private enum FrameKind { Transparent, Sub, SayAs, Styled, Sentence }

    private sealed class Frame(FrameKind kind, string name, Wrap? wrap)
    {
        public FrameKind Kind { get; } = kind;
        public string Name { get; } = name;
        public Wrap? Wrap { get; } = wrap;
        public StringBuilder Text { get; } = new();
        public string? Attribute { get; set; }
        public string Position { get; set; } = "";
    }

    private sealed class Reader(string content, string field)
    {
        private readonly List<SpeechItem> _items = [];
        private readonly List<string> _warnings = [];
        private readonly Stack<Frame> _frames = new();
        private XmlReader _xml = null!;
        private string? _voice;
        private int? _rate, _pitch, _volume;

        public SpeechDocument Read()
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                IgnoreWhitespace = false,
            };
            try
            {
                using var stringReader = new StringReader(content);
                using (_xml = XmlReader.Create(stringReader, settings))
                {
                    while (_xml.Read()) Visit();
                }
            }
            catch (XmlException e)
            {
                throw new RequestException(field, $"SSML is not well-formed at line {e.LineNumber}, column {e.LinePosition}: {TrimPosition(e.Message)}");
            }
            return new SpeechDocument(_items, _voice, _rate, _pitch, _volume, _warnings);
        }

        private static string TrimPosition(string message)
        {
            var at = message.LastIndexOf(" Line ", StringComparison.Ordinal);
            return at > 0 ? message[..at] : message;
        }

        private string Position => _xml is IXmlLineInfo info && info.HasLineInfo() ? $"line {info.LineNumber}, column {info.LinePosition}" : "";

        private Wrap? CurrentWrap => _frames.Count == 0 ? null : _frames.Peek().Wrap;

        private Frame? Collecting => _frames.FirstOrDefault(f => f.Kind is FrameKind.Sub or FrameKind.SayAs);

        private void Visit()
        {
            switch (_xml.NodeType)
            {
                case XmlNodeType.Element:
                    var empty = _xml.IsEmptyElement;
                    var frame = Start(_xml.LocalName, _xml.Depth == 0);
                    if (empty) End(frame);
                    else _frames.Push(frame);
                    break;
                case XmlNodeType.EndElement:
                    End(_frames.Pop());
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (Collecting is { } collecting) collecting.Text.Append(_xml.Value);
                    else _items.Add(new TextItem(_xml.Value, _xml.Value, CurrentWrap));
                    break;
            }
        }

        private Frame Start(string name, bool root)
        {
            var position = Position;
            if (root)
            {
                if (name != "speak") throw new RequestException(field, $"SSML root element must be <speak>, got <{name}> ({position})");
                ReadSpeakAttributes();
                return new Frame(FrameKind.Transparent, name, null);
            }
            if (Collecting is { } collecting)
            {
                _warnings.Add($"<{name}> inside <{collecting.Name}> was removed (only text is allowed there; {position})");
                return new Frame(FrameKind.Transparent, name, CurrentWrap);
            }
            switch (name)
            {
                case "break":
                    _items.Add(new BreakItem(ReadBreak(position)));
                    return new Frame(FrameKind.Transparent, name, CurrentWrap);
                case "sub":
                {
                    var alias = _xml.GetAttribute("alias");
                    if (alias is null) _warnings.Add($"<sub> without alias: its text is spoken as written ({position})");
                    return new Frame(FrameKind.Sub, name, CurrentWrap) { Attribute = alias, Position = position };
                }
                case "say-as":
                    return new Frame(FrameKind.SayAs, name, CurrentWrap) { Attribute = _xml.GetAttribute("interpret-as"), Position = position };
                case "prosody":
                    return new Frame(FrameKind.Styled, name, ProsodyWrap(position));
                case "emphasis":
                    return new Frame(FrameKind.Styled, name, EmphasisWrap(position));
                case "s" or "p":
                    _items.Add(BoundaryItem.Instance);
                    return new Frame(FrameKind.Sentence, name, CurrentWrap);
                default:
                    _warnings.Add($"unsupported SSML element <{name}> was removed, its text kept ({position})");
                    return new Frame(FrameKind.Transparent, name, CurrentWrap);
            }
        }

        private void End(Frame frame)
        {
            switch (frame.Kind)
            {
                case FrameKind.Sub:
                {
                    var written = frame.Text.ToString();
                    var spoken = frame.Attribute ?? written;
                    if (Collecting is { } outer) outer.Text.Append(written);
                    else _items.Add(new TextItem(written, spoken, frame.Wrap, Atomic: true, Markup: Escape(spoken)));
                    break;
                }
                case FrameKind.SayAs:
                {
                    var written = frame.Text.ToString();
                    if (Collecting is { } outer) outer.Text.Append(written);
                    else _items.Add(SayAs(written, frame));
                    break;
                }
                case FrameKind.Sentence:
                    _items.Add(BoundaryItem.Instance);
                    break;
            }
        }

        private void ReadSpeakAttributes()
        {
            var position = Position;
            if (_xml.MoveToFirstAttribute())
            {
                do
                {
                    if (_xml.Prefix == "xmlns" || _xml.LocalName == "xmlns" || SpeakAttributes.Contains(_xml.LocalName)) continue;
                    _warnings.Add($"<speak {_xml.Name}> is not supported and was ignored ({position})");
                } while (_xml.MoveToNextAttribute());
                _xml.MoveToElement();
            }
            _voice = _xml.GetAttribute("voice");
            _rate = IntAttribute("rate", SpeechRates.Min, SpeechRates.Max, position);
            _pitch = IntAttribute("pitch", SpeechRates.Min, SpeechRates.Max, position);
            _volume = IntAttribute("volume", 0, 100, position);
        }

        private int? IntAttribute(string name, int min, int max, string position)
        {
            var text = _xml.GetAttribute(name);
            if (text is null) return null;
            if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
                throw new RequestException(field, $"<speak {name}=\"{text}\"> must be an integer in [{min}, {max}] ({position})");
            return value;
        }

        private double ReadBreak(string position)
        {
            var time = _xml.GetAttribute("time");
            if (time is not null)
            {
                var t = time.Trim().ToLowerInvariant();
                var (number, scale) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001) : t.EndsWith('s') ? (t[..^1], 1.0) : (t, double.NaN);
                if (double.IsNaN(scale) || !double.TryParse(number.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                    throw new RequestException(field, $"<break time=\"{time}\"> must be a duration such as \"1500ms\" or \"2s\" ({position})");
                var seconds = value * scale;
                if (seconds > MaxBreakSeconds)
                {
                    _warnings.Add($"<break time=\"{time}\"> is longer than {MaxBreakSeconds:0} s; it was shortened to {MaxBreakSeconds:0} s ({position})");
                    seconds = MaxBreakSeconds;
                }
                return seconds;
            }
            var strength = _xml.GetAttribute("strength")?.Trim().ToLowerInvariant() ?? "medium";
            switch (strength)
            {
                case "none": return 0;
                case "x-weak": return 0.25;
                case "weak": return 0.5;
                case "medium": return 0.75;
                case "strong": return 1.0;
                case "x-strong": return 1.25;
                default:
                    _warnings.Add($"<break strength=\"{strength}\"> is not a strength (none, x-weak, weak, medium, strong, x-strong); medium was used ({position})");
                    return 0.75;
            }
        }

        private static readonly HashSet<string> RateWords = ["x-slow", "slow", "medium", "fast", "x-fast", "default"];
        private static readonly HashSet<string> PitchWords = ["x-low", "low", "medium", "high", "x-high", "default"];
        private static readonly HashSet<string> VolumeWords = ["silent", "x-soft", "soft", "medium", "loud", "x-loud", "default"];

        private Wrap? ProsodyWrap(string position)
        {
            var attributes = new StringBuilder();
            if (_xml.MoveToFirstAttribute())
            {
                do
                {
                    var (name, value) = (_xml.LocalName, _xml.Value.Trim());
                    if (_xml.Prefix == "xmlns" || name == "xmlns") continue;
                    var words = name switch { "rate" => RateWords, "pitch" => PitchWords, "volume" => VolumeWords, _ => null };
                    if (words is null)
                        _warnings.Add($"<prosody {name}> is not supported and was ignored ({position})");
                    else if (words.Contains(value) || IsRelativeNumber(value))
                        attributes.Append(CultureInfo.InvariantCulture, $" {name}=\"{Escape(value)}\"");
                    else
                        _warnings.Add($"<prosody {name}=\"{value}\"> is not a valid value and was ignored ({position})");
                } while (_xml.MoveToNextAttribute());
                _xml.MoveToElement();
            }
            return attributes.Length == 0 ? CurrentWrap : new Wrap($"<prosody{attributes}>", "</prosody>", CurrentWrap);
        }

        /// <summary>"1.5", "+20%", "-10%", "50%" (espeak-ng reads numbers and percentages; units such as Hz or st it does not).</summary>
        private static bool IsRelativeNumber(string value)
        {
            var number = value.EndsWith('%') ? value[..^1] : value;
            return number.Length > 0 && double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);
        }

        private Wrap? EmphasisWrap(string position)
        {
            var level = _xml.GetAttribute("level")?.Trim() ?? "moderate";
            if (level is not ("strong" or "moderate" or "none" or "reduced"))
            {
                _warnings.Add($"<emphasis level=\"{level}\"> is not a level (strong, moderate, none, reduced); moderate was used ({position})");
                level = "moderate";
            }
            return new Wrap($"<emphasis level=\"{level}\">", "</emphasis>", CurrentWrap);
        }

        private TextItem SayAs(string written, Frame frame)
        {
            var kind = frame.Attribute?.Trim().ToLowerInvariant();
            switch (kind)
            {
                case "digits":
                {
                    var spoken = Digits(written, separatorsArePauses: false);
                    return new TextItem(written, spoken, frame.Wrap, true, Escape(spoken));
                }
                case "telephone":
                {
                    var spoken = Digits(written, separatorsArePauses: true);
                    return new TextItem(written, spoken, frame.Wrap, true, Escape(spoken));
                }
                case "characters":
                    return new TextItem(written, written, frame.Wrap, true, $"<say-as interpret-as=\"characters\">{Escape(written)}</say-as>");
                case "cardinal":
                {
                    var number = written.Trim().Replace(",", "", StringComparison.Ordinal);
                    if (decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
                        return new TextItem(written, number, frame.Wrap, true, Escape(number));
                    _warnings.Add($"<say-as interpret-as=\"cardinal\"> on \"{written.Trim()}\", which is not a number; spoken as written ({frame.Position})");
                    return new TextItem(written, written, frame.Wrap, true, Escape(written));
                }
                default:
                    _warnings.Add(kind is null
                        ? $"<say-as> without interpret-as; spoken as written ({frame.Position})"
                        : $"<say-as interpret-as=\"{kind}\"> is not supported by espeak-ng; spoken as written ({frame.Position})");
                    return new TextItem(written, written, frame.Wrap, true, Escape(written));
            }
        }

        /// <summary>"2026" → "2 0 2 6"; for telephone numbers separators become pauses: "010-1234" → "0 1 0, 1 2 3 4".</summary>
        private static string Digits(string text, bool separatorsArePauses)
        {
            var parts = new List<string>();
            var pendingPause = false;
            foreach (var c in text.Trim())
            {
                if (char.IsAsciiDigit(c))
                {
                    if (pendingPause && parts.Count > 0) parts[^1] += ",";
                    pendingPause = false;
                    parts.Add(c.ToString());
                }
                else if (separatorsArePauses && (c is '-' or '(' or ')' or '.' or '/' || char.IsWhiteSpace(c))) pendingPause = true;
                else if (!char.IsWhiteSpace(c)) parts.Add(c.ToString());
            }
            return string.Join(' ', parts);
        }
    }
}
