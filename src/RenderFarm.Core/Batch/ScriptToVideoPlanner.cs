using System.Globalization;
using RenderFarm.Core.Json;

namespace RenderFarm.Core.Batch;

/// <summary>
/// Plans Script-to-Video outputs (IMS Script-to-Video FAQ rules), deterministically for the request's Seed.
/// <para>Global Scripts: each output speaks one script (every script once before any repeats); one
/// shot per group in group order, then extra shots from the middle groups (not the first or last)
/// until the pictures cover the voice-over; the voice-over sets the length. Without voice-over the
/// length is FixedDuration, or one shot per group capped at MaxDuration.</para>
/// <para>Segmented Scripts: one segment per group in order, showing only that group's media; a group
/// with voice-over lasts as long as its picked text is spoken, one without lasts Duration (default 5 s).
/// If all voiced groups have the same number of texts, an output takes the Nth text of every group.</para>
/// <para>Titles, stickers, music, background images and voices are dealt per output like scripts.
/// Shots are picked least-used first, and an output whose shot sequence repeats an earlier one is
/// re-picked, so outputs differ while unused combinations remain. Lengths come from
/// <see cref="IBatchFacts"/>: probed media and spoken durations of the texts.</para>
/// </summary>
public sealed class ScriptToVideoPlanner : IBatchPlanner
{
    /// <summary>Default length of a Segmented group without voice-over and without Duration (IMS FAQ).</summary>
    public const double DefaultGroupSeconds = 5;

    /// <summary>No shot is cut shorter than this on the timeline (plus the transitions it carries).</summary>
    public const double MinShotContribution = 0.25;

    private const int Attempts = 24;

    private static readonly int MaxShots = Timelines.TimelineLimits.Default.MaxClipsPerTrack;

    public bool Supports(BatchMode mode) => mode is BatchMode.ScriptToVideoGlobal or BatchMode.ScriptToVideoSegmented;

    public BatchPlan Plan(BatchRequest request, IBatchFacts facts)
    {
        if (!Supports(request.Mode.Mode))
            throw new ArgumentException($"{request.Mode.Name} is not planned by the Script-to-Video planner", nameof(request));
        return new Run(request, facts).Plan();
    }

    /// <summary>The state of one planning run: the random source, the decks and the shot pool.</summary>
    private sealed class Run
    {
        private readonly BatchRequest _request;
        private readonly IBatchFacts _facts;
        private readonly BatchInput _input;
        private readonly ProcessSettings _process;
        private readonly Random _random;
        private readonly ShotPool _pool;
        private readonly List<Warning> _warnings = [];
        private readonly EditingDecks _decks;
        private readonly Deck<int>? _textIndex;
        private readonly Deck<TextItem>[] _groupTexts;

        public Run(BatchRequest request, IBatchFacts facts)
        {
            _request = request;
            _facts = facts;
            _input = request.Input;
            _process = request.Editing.Process;
            _random = new Random(request.Seed);
            foreach (var music in _input.BackgroundMusic) MediaCheck.Sound(music, facts);
            foreach (var image in _input.BackgroundImages.Concat(_input.Stickers.Select(s => s.Media))) MediaCheck.Picture(image, facts);
            _pool = new ShotPool(_input.MediaGroups, facts, _process, 2 * _process.Overlap + MinShotContribution, _random);
            _decks = new EditingDecks(request, _random);
            var voiced = _input.MediaGroups.Where(g => g.SpeechTexts.Count > 0).Select(g => g.SpeechTexts.Count).Distinct().ToList();
            // IMS: equal text counts combine by index (every group speaks its Nth text).
            _textIndex = voiced.Count == 1 ? new Deck<int>(Enumerable.Range(0, voiced[0]).ToList(), _random) : null;
            _groupTexts = _input.MediaGroups.Select(g => new Deck<TextItem>(g.SpeechTexts, _random)).ToArray();
        }

        public BatchPlan Plan()
        {
            var outputs = new List<PlannedOutput>();
            var sequences = new HashSet<string>(StringComparer.Ordinal);
            var longerThanMax = new List<int>();
            for (var index = 1; index <= _request.Output.Count; index++)
            {
                var voice = _decks.Voices.NextOrDefault();
                var segments = Segments(voice, out var speechIsMain);
                var length = segments.Sum(s => s.Seconds);
                if (speechIsMain && _request.Output.MaxDuration is { } max && length > max) longerThanMax.Add(index);

                List<PlannedShot> shots = [];
                for (var attempt = 0; attempt < Attempts; attempt++)
                {
                    shots = Shots(segments, explore: attempt > 0, out var picked);
                    if (sequences.Add(string.Join(" | ", shots.Select(s => s.Key))) || attempt == Attempts - 1)
                    {
                        _pool.Commit(picked);
                        break;
                    }
                }
                outputs.Add(Output(index, segments, shots, speechIsMain, length));
            }
            if (longerThanMax.Count > 0)
                _warnings.Add(new Warning("OutputConfig.MaxDuration",
                    $"the voice-over of output(s) {string.Join(", ", longerThanMax)} is longer than MaxDuration ({JsonObjectReader.Format(_request.Output.MaxDuration!.Value)} s); the voice-over decides the length (IMS)"));
            return new BatchPlan(_request.Mode, outputs, PlanDiversity.Of(outputs), _warnings);
        }

        /// <summary>A stretch of the video: which groups may fill it, how long it lasts and what is said over it.</summary>
        private sealed record Segment(int? Group, double Seconds, PlannedSpeech? Speech);

        private List<Segment> Segments(string? voice, out bool speechIsMain)
        {
            if (_request.Mode.Mode == BatchMode.ScriptToVideoSegmented)
            {
                speechIsMain = false;
                var n = _textIndex?.Next();
                var segments = new List<Segment>();
                var start = 0.0;
                for (var g = 0; g < _input.MediaGroups.Count; g++)
                {
                    var group = _input.MediaGroups[g];
                    Segment segment;
                    if (group.SpeechTexts.Count == 0) segment = new Segment(g, group.Duration ?? DefaultGroupSeconds, null);
                    else
                    {
                        var text = n is { } i ? group.SpeechTexts[i] : _groupTexts[g].Next();
                        var seconds = Spoken(text, voice);
                        segment = new Segment(g, seconds, new PlannedSpeech(g, text.Text, voice, start, seconds));
                    }
                    segments.Add(segment);
                    start += segment.Seconds;
                }
                return segments;
            }
            if (!_decks.Scripts.IsEmpty)
            {
                speechIsMain = true;
                var script = _decks.Scripts.Next();
                var seconds = Spoken(script, voice);
                return [new Segment(null, seconds, new PlannedSpeech(null, script.Text, voice, 0, seconds))];
            }
            speechIsMain = false;
            return [new Segment(null, SilentLength(), null)];
        }

        /// <summary>Global Scripts without voice-over: FixedDuration, else one full shot per group capped at MaxDuration (IMS FAQ).</summary>
        private double SilentLength()
        {
            if (_request.Output.FixedDuration is { } fixedSeconds) return fixedSeconds;
            var overlap = _process.Overlap;
            var natural = Enumerable.Range(0, _input.MediaGroups.Count)
                .Sum(g => Math.Min(_process.SingleShotSeconds, _pool.Split(g).Max(s => s.Capacity)) - overlap) + overlap;
            return _request.Output.MaxDuration is { } max ? Math.Min(natural, max) : natural;
        }

        private double Spoken(TextItem text, string? voice)
        {
            var line = new SpeechLine(text.Text, voice, _request.Editing.Speech.SpeechRate);
            var seconds = _facts.SpeechSeconds(line)
                ?? throw new RequestException(text.Path, $"no spoken duration is known for this text{(voice is null ? "" : $" in voice '{voice}'")}");
            if (!(seconds > 0) || double.IsInfinity(seconds))
                throw new RequestException(text.Path, $"the spoken duration must be a positive number of seconds (got {seconds})");
            return seconds;
        }

        /// <summary>Picks and cuts the shots of every segment so that each segment lasts exactly its time.</summary>
        private List<PlannedShot> Shots(List<Segment> segments, bool explore, out List<Shot> picked)
        {
            picked = [];
            var overlap = _process.Overlap;
            var planned = new List<PlannedShot>();
            var start = 0.0;
            for (var s = 0; s < segments.Count; s++)
            {
                var segment = segments[s];
                var last = s == segments.Count - 1;
                var shots = segment.Group is { } g ? GroupShots(g, segment.Seconds, explore) : GlobalShots(segment.Seconds, explore);
                // Too many shots for a short segment: drop middle ones so none is cut below the minimum.
                while (shots.Count > 1 && segment.Seconds / shots.Count < MinShotContribution + overlap) shots.RemoveAt(shots.Count / 2);
                // Each shot but the video's last overlaps the next by the transition; it must fill that too.
                var capacities = shots.Select((shot, j) => shot.Capacity - (last && j == shots.Count - 1 ? 0 : overlap)).ToList();
                var shares = EqualShares.Level(capacities, segment.Seconds);
                for (var j = 0; j < shots.Count; j++)
                {
                    var shot = shots[j];
                    var carries = last && j == shots.Count - 1 ? 0 : overlap;
                    var seconds = shares[j] + carries;
                    planned.Add(new PlannedShot(shot.Media.Url, shot.Group, shot.IsImage, shot.In, shot.In + seconds, start));
                    start += shares[j];
                }
                picked.AddRange(shots);
            }
            if (planned.Count > MaxShots)
                throw new RequestException("EditingConfig.ProcessConfig.SingleShotDuration", $"an output would need {planned.Count} shots; at most {MaxShots} fit on a track (raise SingleShotDuration)");
            return planned;
        }

        /// <summary>Global Scripts: one shot per group in order, then shots from the middle groups until the time is covered.</summary>
        private List<Shot> GlobalShots(double seconds, bool explore)
        {
            var overlap = _process.Overlap;
            var groups = _input.MediaGroups.Count;
            var taken = new HashSet<Shot>();
            var shots = new List<Shot>();
            for (var g = 0; g < groups; g++) shots.Add(Take(g));
            var middle = groups > 2 ? Enumerable.Range(1, groups - 2).ToList() : Enumerable.Range(0, groups).ToList();
            while (Covered(shots) < seconds && shots.Count <= MaxShots)
            {
                var g = middle[_random.Next(middle.Count)];
                var after = shots.FindLastIndex(s => s.Group == g);
                shots.Insert(after + 1, Take(g));
            }
            return shots;

            Shot Take(int group)
            {
                var shot = _pool.Pick(group, taken, explore);
                taken.Add(shot);
                return shot;
            }
            double Covered(List<Shot> list) => list.Sum(s => s.Capacity - overlap) + overlap;
        }

        /// <summary>Segmented Scripts: the group's own media only, until its time is covered.</summary>
        private List<Shot> GroupShots(int g, double seconds, bool explore)
        {
            var overlap = _process.Overlap;
            var shots = new List<Shot>();
            if (_input.MediaGroups[g].SplitMode == SplitMode.AverageSplit && _pool.Whole(g).Count > 0)
            {
                // Every medium once (in a random order), then again if they are too short together.
                var media = _pool.Whole(g);
                while (shots.Sum(s => s.Capacity - overlap) < seconds && shots.Count <= MaxShots)
                    shots.AddRange(media.OrderBy(_ => _random.Next()));
                return shots;
            }
            var taken = new HashSet<Shot>();
            while (shots.Sum(s => s.Capacity - overlap) < seconds && shots.Count <= MaxShots)
            {
                var shot = _pool.Pick(g, taken, explore);
                taken.Add(shot);
                shots.Add(shot);
            }
            return shots;
        }

        private PlannedOutput Output(int index, List<Segment> segments, List<PlannedShot> shots, bool speechIsMain, double length)
        {
            var editing = _request.Editing;
            var uniform = _process.UniformTransition ? _decks.Transitions.Next() : null;
            var clips = shots.Select((shot, j) =>
            {
                var gain = _input.MediaGroups[shot.Group].Volume ?? editing.MediaVolume;
                var transition = _process.AllowTransition && j < shots.Count - 1 ? uniform ?? _decks.Transitions.Next() : null;
                return (shot, gain, transition);
            }).ToList();
            var title = _decks.Titles.NextOrDefault();
            var content = new OutputContent(
                clips,
                segments.Where(s => s.Speech is not null).Select(s => s.Speech!).ToList(),
                speechIsMain,
                title?.Text,
                _decks.MotionIn.NextOrDefault(), _decks.MotionOut.NextOrDefault(),
                _decks.CaptionIn.NextOrDefault(), _decks.CaptionOut.NextOrDefault(), _decks.CaptionLoop.NextOrDefault(),
                _decks.Stickers.NextOrDefault(),
                _decks.Music.NextOrDefault(),
                _decks.Backgrounds.NextOrDefault());
            var url = _request.Output.UrlFor(index);
            return new PlannedOutput(
                index,
                url,
                BatchTimelineWriter.Timeline(content, editing, _process.TransitionSeconds),
                BatchTimelineWriter.OutputMediaConfig(url, _request.Output),
                length,
                shots,
                content.Speech,
                content.Title,
                content.Sticker?.Media.Url,
                content.Music?.Url,
                content.BackgroundImage?.Url);
        }
    }
}
