using System.Text.Json.Nodes;
using FluentAssertions;
using RenderFarm.Core.Json;
using RenderFarm.Core.Templates;
using Xunit;

namespace RenderFarm.Core.Tests.Templates;

/// <summary>EditingConfig.TemplateConfig: which template makes each output of a batch, and with whose ClipsParam.</summary>
public sealed class TemplateBatchPlanTests
{
    private static JsonObject Config(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Sequential_selection_takes_the_templates_in_turn_one_ClipsParam_per_output()
    {
        var plan = TemplateBatchPlan.Plan(Config("""
            {"TemplateIds":["intro","outro"],"ClipsParams":[{"Video":"a.mp4"},{"Video":"b.mp4"},"{\"Video\":\"c.mp4\"}"]}
            """), count: null, seed: 0);

        plan.Select(o => (o.Index, o.TemplateId, (string?)o.ClipsParam["Video"])).Should().Equal(
            (0, "intro", "a.mp4"), (1, "outro", "b.mp4"), (2, "intro", "c.mp4"));
        plan[1].TemplatePath.Should().Be("EditingConfig.TemplateConfig.TemplateIds[1]");
        plan[2].ClipsPath.Should().Be("EditingConfig.TemplateConfig.ClipsParams[2]");
    }

    [Fact]
    public void Random_selection_uses_every_template_and_is_the_same_for_the_same_seed()
    {
        var config = Config("""{"TemplateIds":["a","b","c"],"Selection":"Random","ClipsParam":{"Text":"Sale"}}""");

        var first = TemplateBatchPlan.Plan(config, count: 30, seed: 7).Select(o => o.TemplateId).ToList();

        first.Should().HaveCount(30).And.Contain(["a", "b", "c"]);
        TemplateBatchPlan.Plan(config, count: 30, seed: 7).Select(o => o.TemplateId).Should().Equal(first);
        TemplateBatchPlan.Plan(config, count: 30, seed: 8).Select(o => o.TemplateId).Should().NotEqual(first);
    }

    [Theory]
    [InlineData("""{"ClipsParams":[{}]}""", null, "EditingConfig.TemplateConfig.TemplateIds: is required")]
    [InlineData("""{"TemplateIds":[],"ClipsParams":[{}]}""", null, "EditingConfig.TemplateConfig.TemplateIds: must hold 1 to 10 template ids (got 0)")]
    [InlineData("""{"TemplateIds":["a",3]}""", null, "EditingConfig.TemplateConfig.TemplateIds[1]: must be a template id (text)")]
    [InlineData("""{"TemplateIds":["a"],"Selection":"Shuffle"}""", null, "EditingConfig.TemplateConfig.Selection: unknown value")]
    [InlineData("""{"TemplateIds":["a"],"ClipsParams":[{},{}]}""", 3, "OutputConfig.Count: is 3 but TemplateConfig.ClipsParams holds 2")]
    [InlineData("""{"TemplateIds":["a"],"ClipsParams":[{},7]}""", null, "EditingConfig.TemplateConfig.ClipsParams[1]: must be a JSON object")]
    [InlineData("""{"TemplateIds":["a"],"ClipsParams":[{}],"ClipsParam":{}}""", null, "EditingConfig.TemplateConfig.ClipsParam: cannot be combined with ClipsParams")]
    public void A_bad_TemplateConfig_is_an_error_naming_the_field(string json, int? count, string expected)
    {
        var act = () => TemplateBatchPlan.Plan(Config(json), count, seed: 0);

        act.Should().Throw<RequestException>().Which.Message.Should().StartWith(expected);
    }
}
