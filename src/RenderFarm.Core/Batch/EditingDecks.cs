namespace RenderFarm.Core.Batch;

/// <summary>
/// The request's pick lists as decks (every item dealt once before any repeats), shared by the
/// planners: scripts, titles, voices, transitions, title and caption motions, stickers, music and
/// background images. One random source for all, so a seed gives the same plan.
/// </summary>
internal sealed class EditingDecks(BatchRequest request, Random random)
{
    public Deck<TextItem> Scripts { get; } = new(request.Input.SpeechTexts, random);
    public Deck<TextItem> Titles { get; } = new(request.Input.Titles, random);
    public Deck<string> Voices { get; } = new(request.Editing.Speech.Voices, random);
    public Deck<string> Transitions { get; } = new(request.Editing.Process.Transitions, random);
    public Deck<string> MotionIn { get; } = new(request.Editing.TitleStyle.MotionIn, random);
    public Deck<string> MotionOut { get; } = new(request.Editing.TitleStyle.MotionOut, random);
    public Deck<string> CaptionIn { get; } = new(request.Editing.Speech.Captions.MotionIn, random);
    public Deck<string> CaptionOut { get; } = new(request.Editing.Speech.Captions.MotionOut, random);
    public Deck<string> CaptionLoop { get; } = new(request.Editing.Speech.Captions.MotionLoop, random);
    public Deck<Sticker> Stickers { get; } = new(request.Input.Stickers, random);
    public Deck<MediaRef> Music { get; } = new(request.Input.BackgroundMusic, random);
    public Deck<MediaRef> Backgrounds { get; } = new(request.Input.BackgroundImages, random);
}
