using RenderFarm.Core.Json;

namespace RenderFarm.Core.Batch.Matching;

/// <summary>
/// Plans Image-Text Matching outputs, deterministically for the request's Seed.
/// <para>Global Scripts: each output speaks one script of SpeechTextArray (every script once before any
/// repeats), split into sentences (<see cref="Sentences"/>); each sentence is an AI_TTS clip lasting its spoken
/// time and is shown over the shots that best match it (<see cref="ShotMatcher"/>, ranked by an
/// <see cref="IRelevanceRanker"/> over the media texts, from <see cref="RelevanceRanking"/>: the farm fuses BM25F with a
/// sentence encoder, using the vectors the media library stored at analysis). Storyboard Script: one cue per
/// SceneInfo.ShotInfo.ShotScripts entry (<see cref="StoryboardShot"/>).</para>
/// <para>Shots: a medium's per-shot texts (In/Out) are its shots; a video without them is split by
/// SingleShotDuration like Script-to-Video, each piece carrying the medium's text; an image is one shot that can
/// be held for any time. Media texts come from <see cref="IMediaTextFacts"/> when the facts provide them;
/// without them shots are picked without matching (a warning says so). The shot track is the main track, so
/// the video lasts as long as the voice-over. Titles, stickers, music, backgrounds, voices and transitions are
/// dealt per output as in Script-to-Video. MediaSearchInput is resolved by the node into MediaArray entries
/// (library media) before planning, so this planner sees media only.</para>
/// </summary>
public sealed class ImageTextMatchingPlanner(RelevanceRanking? ranking = null, BatchLimits? limits = null) : IBatchPlanner
{
    private readonly RelevanceRanking _ranking = ranking ?? RelevanceRanking.Lexical;
    private readonly BatchLimits _limits = limits ?? BatchLimits.Default;

    public bool Supports(BatchMode mode) => mode is BatchMode.ImageTextMatchingGlobal or BatchMode.ImageTextMatchingStoryboard;

    public BatchPlan Plan(BatchRequest request, IBatchFacts facts)
    {
        if (!Supports(request.Mode.Mode))
            throw new ArgumentException($"{request.Mode.Name} is not planned by the Image-Text Matching planner", nameof(request));
        return new Run(this, request, facts).Plan();
    }

    /// <summary>
    /// The facts a plan may ask for: every medium, and every sentence (Global Scripts) or storyboard voice-over
    /// in every voice it may be spoken in. Media texts are looked up by the media URLs.
    /// </summary>
    public FactsNeeded FactsNeeded(BatchRequest request)
    {
        var basic = Batch.FactsNeeded.For(request);
        var speech = request.Editing.Speech;
        IReadOnlyList<string?> voices = speech.Voices.Count == 0 ? [null] : speech.Voices.Cast<string?>().ToList();
        var texts = request.Mode.Mode == BatchMode.ImageTextMatchingStoryboard
            ? StoryboardScripts.Parse(request.Input.SceneInfoJson!, _limits, new Diagnostics()).Select(s => s.SpeechText ?? s.ScriptText).Where(t => t.Length > 0)
            : request.Input.SpeechTexts.SelectMany(t => Sentences.Split(t.Text));
        var lines = texts.Distinct(StringComparer.Ordinal)
            .SelectMany(text => voices.Select(v => new SpeechLine(text, v, speech.SpeechRate))).ToList();
        return new FactsNeeded(basic.MediaUrls, lines);
    }

    private sealed class Run
    {
        private readonly BatchRequest _request;
        private readonly IBatchFacts _facts;
        private readonly BatchInput _input;
        private readonly ProcessSettings _process;
        private readonly Random _random;
        private readonly List<Warning> _warnings = [];
        private readonly ShotMatcher _matcher;
        private readonly IReadOnlyList<StoryboardShot> _storyboard = [];
        private readonly EditingDecks _decks;

        public Run(ImageTextMatchingPlanner planner, BatchRequest request, IBatchFacts facts)
        {
            _request = request;
            _facts = facts;
            _input = request.Input;
            _process = request.Editing.Process;
            _random = new Random(request.Seed);
            if (_input.Media.Count == 0)
                throw new RequestException(_input.MediaSearch?.Path ?? "InputConfig.MediaArray",
                    "no media to match: the media library search was not resolved into media (the node resolves it before planning)");
            if (request.Output.FixedDuration is not null)
                _warnings.Add(new Warning("OutputConfig.FixedDuration", "does not apply to Image-Text Matching: the voice-over or the storyboard decides the length"));
            foreach (var music in _input.BackgroundMusic) MediaCheck.Sound(music, facts);
            foreach (var image in _input.BackgroundImages.Concat(_input.Stickers.Select(s => s.Media))) MediaCheck.Picture(image, facts);
            if (request.Mode.Mode == BatchMode.ImageTextMatchingStoryboard)
            {
                var diagnostics = new Diagnostics();
                _storyboard = StoryboardScripts.Parse(_input.SceneInfoJson!, planner._limits, diagnostics);
                _warnings.AddRange(diagnostics.Warnings);
            }
            var texts = facts as IMediaTextFacts;
            var shots = Shots(texts);
            var ranker = planner._ranking.Ranker(shots.Select(s => s.Text).ToList(), texts?.TextVectors);
            _matcher = new ShotMatcher(shots, ranker, _process.Overlap, _random);

            _decks = new EditingDecks(request, _random);
        }

        /// <summary>Every usable shot of MediaArray with its text (see the class summary).</summary>
        private List<MatchShot> Shots(IMediaTextFacts? texts)
        {
            if (texts is null)
                _warnings.Add(new Warning("InputConfig.MediaArray", "no media texts are known: shots are picked without matching them to the script"));
            var minShot = 2 * _process.Overlap + ScriptToVideoPlanner.MinShotContribution;
            var shots = new List<MatchShot>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var m = 0; m < _input.Media.Count; m++)
            {
                var media = _input.Media[m];
                if (!seen.Add(media.Url)) continue;
                var f = MediaCheck.Picture(media, _facts);
                var records = texts?.MediaTexts(media.Url) ?? [];
                var whole = MediaText.Combine(media.Url, records.Where(r => !r.IsShot));
                if (f.IsStill)
                {
                    // An image can be held as long as a sentence needs.
                    var all = records.Where(r => r.IsShot).Aggregate(whole, (sum, r) => sum.With(r with { In = null, Out = null }));
                    shots.Add(new MatchShot(shots.Count, media, m, true, 0, double.PositiveInfinity, all));
                    continue;
                }
                var ranged = records.Where(r => r.IsShot).OrderBy(r => r.In).ToList();
                if (ranged.Count > 0)
                {
                    foreach (var r in ranged)
                    {
                        if (r.In < 0 || r.Out <= r.In || r.In >= f.DurationSeconds)
                            throw new RequestException(media.Path, $"the media text of '{media.Url}' names shot {r.In}..{r.Out} s, outside the video's {JsonObjectReader.Format(f.DurationSeconds)} s");
                        var end = Math.Min(r.Out!.Value, f.DurationSeconds);
                        if (end - r.In!.Value >= minShot) shots.Add(new MatchShot(shots.Count, media, m, false, r.In.Value, end - r.In.Value, r.With(whole)));
                    }
                    continue;
                }
                var count = _process.SplitClips ? Math.Max(1, (int)Math.Round(f.DurationSeconds / _process.SingleShotSeconds)) : 1;
                var length = f.DurationSeconds / count;
                if (length < minShot) continue;
                for (var k = 0; k < count; k++) shots.Add(new MatchShot(shots.Count, media, m, false, k * length, length, whole));
            }
            if (shots.Count == 0)
                throw new RequestException("InputConfig.MediaArray",
                    $"no medium is long enough for a shot: each video (or shot) must last at least {JsonObjectReader.Format(minShot)} s");
            return shots;
        }

        public BatchPlan Plan()
        {
            var outputs = new List<PlannedOutput>();
            var longerThanMax = new List<int>();
            var longSpeech = new HashSet<string>(StringComparer.Ordinal);
            for (var index = 1; index <= _request.Output.Count; index++)
            {
                var voice = _decks.Voices.NextOrDefault();
                var cues = Cues(voice, longSpeech);
                var assigned = _matcher.Assign(cues);
                var shots = new List<PlannedShot>();
                var speech = new List<PlannedSpeech>();
                var start = 0.0;
                for (var c = 0; c < cues.Count; c++)
                {
                    if (cues[c].SpeechText is { } said) speech.Add(new PlannedSpeech(null, said, voice, start, Spoken(cues[c].Path, said, voice)));
                    var last = c == cues.Count - 1;
                    var list = assigned[c];
                    for (var j = 0; j < list.Count; j++)
                    {
                        var (shot, share) = list[j];
                        var seconds = share + (last && j == list.Count - 1 ? 0 : _process.Overlap);
                        shots.Add(new PlannedShot(shot.Media.Url, shot.MediaIndex, shot.IsImage, shot.In, shot.In + seconds, start));
                        start += share;
                    }
                }
                var max = Timelines.TimelineLimits.Default.MaxClipsPerTrack;
                if (shots.Count > max)
                    throw new RequestException("InputConfig.SpeechTextArray", $"an output would need {shots.Count} shots; at most {max} fit on a track (use fewer sentences or longer shots)");
                var length = cues.Sum(c => c.Seconds);
                if (_request.Output.MaxDuration is { } limit && length > limit) longerThanMax.Add(index);
                outputs.Add(Output(index, shots, speech, length));
            }
            if (longerThanMax.Count > 0)
                _warnings.Add(new Warning("OutputConfig.MaxDuration",
                    $"the voice-over of output(s) {string.Join(", ", longerThanMax)} is longer than MaxDuration ({JsonObjectReader.Format(_request.Output.MaxDuration!.Value)} s); the voice-over decides the length"));
            foreach (var path in longSpeech)
                _warnings.Add(new Warning($"{path}.Duration", "the voice-over is longer than Duration; the shot lasts as long as the voice-over"));
            return new BatchPlan(_request.Mode, outputs, PlanDiversity.Of(outputs), _warnings);
        }

        private List<Cue> Cues(string? voice, HashSet<string> longSpeech)
        {
            if (_request.Mode.Mode == BatchMode.ImageTextMatchingGlobal)
            {
                var script = _decks.Scripts.Next();
                return Sentences.Split(script.Text).Select(s => new Cue(script.Path, s, s, Spoken(script.Path, s, voice))).ToList();
            }
            var cues = new List<Cue>();
            foreach (var shot in _storyboard)
            {
                var said = shot.SpeechText ?? shot.ScriptText;
                if (said.Length == 0)
                {
                    cues.Add(new Cue(shot.Path, shot.ScriptText, null, shot.Duration ?? _process.SingleShotSeconds));
                    continue;
                }
                var spoken = Spoken(shot.Path, said, voice);
                if (shot.Duration is { } d && d < spoken) longSpeech.Add(shot.Path);
                cues.Add(new Cue(shot.Path, shot.ScriptText, said, Math.Max(shot.Duration ?? 0, spoken)));
            }
            return cues;
        }

        private double Spoken(string path, string text, string? voice)
        {
            var line = new SpeechLine(text, voice, _request.Editing.Speech.SpeechRate);
            var seconds = _facts.SpeechSeconds(line)
                ?? throw new RequestException(path, $"no spoken duration is known for '{text}'{(voice is null ? "" : $" in voice '{voice}'")}");
            if (!(seconds > 0) || double.IsInfinity(seconds))
                throw new RequestException(path, $"the spoken duration must be a positive number of seconds (got {seconds})");
            return seconds;
        }

        private PlannedOutput Output(int index, List<PlannedShot> shots, List<PlannedSpeech> speech, double length)
        {
            var editing = _request.Editing;
            var uniform = _process.UniformTransition ? _decks.Transitions.NextOrDefault() : null;
            var clips = shots.Select((shot, j) =>
            {
                var transition = _process.AllowTransition && j < shots.Count - 1 ? uniform ?? _decks.Transitions.NextOrDefault() : null;
                return (shot, editing.MediaVolume, transition);
            }).ToList();
            var title = _decks.Titles.NextOrDefault();
            var content = new OutputContent(
                clips, speech, SpeechIsMainTrack: false,
                title?.Text,
                _decks.MotionIn.NextOrDefault(), _decks.MotionOut.NextOrDefault(),
                _decks.CaptionIn.NextOrDefault(), _decks.CaptionOut.NextOrDefault(), _decks.CaptionLoop.NextOrDefault(),
                _decks.Stickers.NextOrDefault(),
                _decks.Music.NextOrDefault(),
                _decks.Backgrounds.NextOrDefault());
            var url = _request.Output.UrlFor(index);
            return new PlannedOutput(
                index, url,
                BatchTimelineWriter.Timeline(content, editing, _process.TransitionSeconds),
                BatchTimelineWriter.OutputMediaConfig(url, _request.Output),
                length, shots, speech, content.Title,
                content.Sticker?.Media.Url, content.Music?.Url, content.BackgroundImage?.Url);
        }
    }
}
