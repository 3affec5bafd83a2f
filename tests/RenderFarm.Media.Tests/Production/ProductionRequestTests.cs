using RenderFarm.Media.Ai;
using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Media.Audio;
using RenderFarm.Media.Production;
using Xunit;

namespace RenderFarm.Media.Tests.Production;

public sealed class ProductionRequestTests
{
    private static readonly ProductionFunctions Functions = ProductionCatalog.Create(AiEngines.None, Path.Combine(Path.GetTempPath(), "renderfarm-test-probe"));

    private static RequestException Refused(string body) =>
        Assert.Throws<RequestException>(() => ProductionRequestParser.Parse(body, Functions));

    [Fact]
    public void IMS_non_strict_JobParams_with_bare_names_are_read()
    {
        LooseJson.ToJson("{fps:10,sep:false,roi:[[0.5, 1], [0, 1]], model:'gif', 'a b':\"c\"}")
            .Should().Be("{\"fps\":10,\"sep\":false,\"roi\":[[0.5, 1], [0, 1]], \"model\":\"gif\", \"a b\":\"c\"}");
        var request = ProductionRequestParser.Parse("""
            {"FunctionName":"AudioMixing","Input":{"Type":"Local","Media":"voice.wav"},
             "JobParams":"{loudness:-20, duck:12, inputs:[{media:'music.wav', role:music}]}",
             "ScheduleConfig":{"Priority":2},"Name":"podcast","UserData":"{\"k\":1}"}
            """, Functions);
        var p = (AudioMixingParams)request.Params;
        (p.Settings.TargetLufs, p.Settings.DuckDb, request.Priority, request.Name).Should().Be((-20.0, 12.0, 2, "podcast"));
        p.Inputs.Single().Media.Should().Be(new ParamMedia("JobParams.inputs[0].media", "music.wav"));
        p.Inputs.Single().Role.Should().Be(TrackRole.Music);
    }

    [Theory]
    [InlineData("""{"FunctionName":"Nope","Input":{"Media":"a.wav"}}""", "FunctionName", "AudioMixing, AudioBeatDetection, MusicSegmentDetect, SlideSplit")]
    [InlineData("""{"FunctionName":"AudioMixing","Input":{"Media":"a.wav"},"JobParams":"{duck:99}"}""", "JobParams.duck", "between 0.0 and 40.0")]
    [InlineData("""{"FunctionName":"AudioMixing","Input":{"Media":"a.wav"},"JobParams":"{ducking:9}"}""", "JobParams.ducking", "supported: inputs, inputRole")]
    [InlineData("""{"FunctionName":"AudioMixing","Input":{"Media":"a.wav"},"JobParams":"{inputs:[{media:'b.wav',role:drums}]}"}""", "JobParams.inputs[0].role", "supported: voice, music, effects")]
    [InlineData("""{"FunctionName":"AudioMixing","Input":{"Type":"OSS","Media":"oss://bucket/a.wav"}}""", "Input.Media", "OSS needs a storage backend")]
    [InlineData("""{"FunctionName":"AudioMixing","Input":{"Type":"Media","Media":"icepub-1234"}}""", "Input.Media", "not a media library MediaId")]
    [InlineData("""{"FunctionName":"SlideSplit","Input":{"Media":"a.mp4"},"ScheduleConfig":{"Priority":11}}""", "ScheduleConfig.Priority", "between 1 and 10")]
    [InlineData("""{"FunctionName":"SlideSplit","Input":{"Media":"a.mp4"},"JobParams":"{fps:30}"}""", "JobParams.fps", "between 1.0 and 10.0")]
    [InlineData("""{"FunctionName":"SlideSplit","Input":{"Media":"a.mp4"},"JobParams":"{fps:"}""", "JobParams", "malformed JSON")]
    [InlineData("""{"FunctionName":"SlideSplit"}""", "Input", "is required")]
    [InlineData("""{"FunctionName":"AudioBeatDetection","Input":{"Media":"a.wav"},"JobParams":"{minBpm:100,maxBpm:120}"}""", "JobParams.MaxBpm", "at least 1.5 times MinBpm")]
    [InlineData("""{"FunctionName":"MusicSegmentDetect","Input":{"Media":"a.wav"},"JobParams":"{all:'maybe'}"}""", "JobParams.all", "true or false")]
    public void Bad_requests_name_the_field_and_what_is_accepted(string body, string field, string reason)
    {
        var e = Refused(body);
        e.Path.Should().Be(field);
        e.Reason.Should().Contain(reason);
    }

    [Fact]
    public void A_name_over_100_characters_is_refused()
    {
        Refused($$"""{"FunctionName":"SlideSplit","Input":{"Media":"a.mp4"},"Name":"{{new string('n', 101)}}"}""").Path.Should().Be("Name");
    }
}
