using System.Text;
using System.Text.Json;
using FluentAssertions;
using RenderFarm.TestSupport;
using Xunit;

namespace RenderFarm.Cli.Tests;

/// <summary>
/// The deployment files (docker-compose.yml, k8s/base and its overlays) checked offline by
/// scripts/validate-deploy.sh, plus the facts a GPU node and the Akka cluster depend on. Needs kubectl and node; the
/// script installs its npm packages (tools/deploy-validator) and docker-compose (apt) when missing.
/// </summary>
public sealed class DeploymentTests
{
    private static readonly string Root = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no RenderFarm.sln above {AppContext.BaseDirectory}");
    }

    private static (int Exit, string Output) Validate(params string[] args)
    {
        var (exit, stdout, stderr) = Tool.Run("bash", [Path.Combine(Root, "scripts", "validate-deploy.sh"), .. args]);
        return (exit, Encoding.UTF8.GetString(stdout) + stderr);
    }

    /// <summary>A shell pipeline run in the repository root whose YAML output comes back as JSON.</summary>
    private static JsonElement YamlOf(string pipeline)
    {
        var (setup, setupOutput) = Validate("--setup");
        setup.Should().Be(0, setupOutput);
        var (exit, stdout, stderr) = Tool.Run("bash", "-c", $"set -o pipefail; cd \"$1\" && {pipeline} | node scripts/validate-k8s.mjs to-json -", "bash", Root);
        exit.Should().Be(0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static JsonElement Object(JsonElement objects, string kind, string name) =>
        objects.EnumerateArray().Single(o => o.GetProperty("kind").GetString() == kind && o.GetProperty("metadata").GetProperty("name").GetString() == name);

    private static JsonElement Container(JsonElement deployment) =>
        deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    [Fact]
    public void Validator_accepts_every_deployment_file_and_names_each_object()
    {
        var (exit, output) = Validate();

        exit.Should().Be(0, output);
        output.Should().NotContain("FAIL");
        output.Should().ContainAll(
            "OK   [k8s/base] Deployment/gateway",
            "OK   [k8s/base] Deployment/cpu-worker",
            "OK   [k8s/base] Deployment/gpu-worker",
            "OK   [k8s/base] Service/gateway",
            "OK   [k8s/base] Service/renderfarm-remoting",
            "OK   [k8s/base] ServiceAccount/renderfarm",
            "OK   [k8s/base] Role/renderfarm-pod-reader",
            "OK   [k8s/base] RoleBinding/renderfarm-pod-reader",
            "OK   [k8s/base] PersistentVolumeClaim/renderfarm-artifacts",
            "OK   [k8s/base] PodDisruptionBudget/gateway",
            "OK   [k8s/base] PodDisruptionBudget/cpu-worker",
            "OK   [k8s/overlays/keda] ScaledObject/cpu-worker",
            "OK   [k8s/overlays/keda] ScaledObject/gpu-worker",
            "OK   [k8s/overlays/dev] StatefulSet/postgres",
            "OK   [k8s/overlays/hpa] HorizontalPodAutoscaler/cpu-worker",
            "OK   [k8s/overlays/hpa] HorizontalPodAutoscaler/gpu-worker",
            "OK   [docker-compose.yml] docker-compose config -q",
            "OK   [docker-compose.yml] service/gateway",
            "OK   [docker-compose.yml] service/gpu-worker",
            "validate-deploy: all deployment files valid");
        output.Should().NotContainEquivalentOf("rabbitmq", "the runtime has no message broker any more");
    }

    [Fact]
    public void Gpu_worker_gets_an_nvidia_gpu_in_kubernetes_and_in_compose()
    {
        var k8s = YamlOf("kubectl kustomize k8s/base");
        var gpu = Object(k8s, "Deployment", "gpu-worker");
        var resources = Container(gpu).GetProperty("resources");
        Text(resources.GetProperty("requests").GetProperty("nvidia.com/gpu")).Should().Be("1");
        Text(resources.GetProperty("limits").GetProperty("nvidia.com/gpu")).Should().Be("1");
        var pod = gpu.GetProperty("spec").GetProperty("template").GetProperty("spec");
        pod.GetProperty("nodeSelector").GetProperty("renderfarm.io/gpu").GetString().Should().Be("true");
        pod.GetProperty("tolerations").EnumerateArray().Should().Contain(t =>
            t.GetProperty("key").GetString() == "nvidia.com/gpu" && t.GetProperty("effect").GetString() == "NoSchedule");
        Container(gpu).GetProperty("args").EnumerateArray().Select(a => a.GetString()).Should().Equal("node", "--roles", "gpu");
        Container(Object(k8s, "Deployment", "cpu-worker")).GetProperty("resources").GetProperty("limits")
            .TryGetProperty("nvidia.com/gpu", out _).Should().BeFalse("CPU workers must not hold GPUs");

        var compose = YamlOf("docker-compose -f docker-compose.yml config")[0].GetProperty("services");
        var devices = compose.GetProperty("gpu-worker").GetProperty("deploy").GetProperty("resources").GetProperty("reservations").GetProperty("devices");
        devices.EnumerateArray().Should().ContainSingle().Which.Should().Match<JsonElement>(d =>
            d.GetProperty("driver").GetString() == "nvidia"
            && Text(d.GetProperty("count")) == "1"
            && d.GetProperty("capabilities").EnumerateArray().Any(c => c.GetString() == "gpu"));
        compose.GetProperty("cpu-worker").TryGetProperty("deploy", out var cpuDeploy).Should().BeTrue();
        cpuDeploy.TryGetProperty("resources", out _).Should().BeFalse("CPU workers reserve no device");
    }

    [Fact]
    public void Every_node_shares_the_artifacts_volume_and_drains_before_it_is_killed()
    {
        var k8s = YamlOf("kubectl kustomize k8s/base");
        Object(k8s, "PersistentVolumeClaim", "renderfarm-artifacts").GetProperty("spec").GetProperty("accessModes")
            .EnumerateArray().Select(m => m.GetString()).Should().Equal("ReadWriteMany");
        foreach (var name in new[] { "gateway", "cpu-worker", "gpu-worker" })
        {
            var deployment = Object(k8s, "Deployment", name);
            var pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
            var volume = pod.GetProperty("volumes").EnumerateArray().Single(v =>
                v.TryGetProperty("persistentVolumeClaim", out var c) && c.GetProperty("claimName").GetString() == "renderfarm-artifacts");
            Container(deployment).GetProperty("volumeMounts").EnumerateArray().Should().Contain(m =>
                m.GetProperty("name").GetString() == volume.GetProperty("name").GetString()
                && m.GetProperty("mountPath").GetString() == "/var/lib/renderfarm/artifacts", name);
            var probes = Container(deployment);
            probes.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString().Should().Be("/readyz", name);
            probes.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString().Should().Be("/healthz", name);
            if (name != "gateway") pod.GetProperty("terminationGracePeriodSeconds").GetInt32().Should().BeGreaterThanOrEqualTo(120, name);
        }

        var keda = YamlOf("kubectl kustomize k8s/overlays/keda");
        JsonElement[] Triggers(string worker) => Object(keda, "ScaledObject", worker).GetProperty("spec").GetProperty("triggers").EnumerateArray().ToArray();
        foreach (var (worker, placement, other) in new[] { ("cpu-worker", "cpu", "gpu"), ("gpu-worker", "gpu", "cpu") })
        {
            var triggers = Triggers(worker);
            triggers.Should().NotBeEmpty(worker);
            foreach (var trigger in triggers)
            {
                trigger.GetProperty("type").GetString().Should().Be("prometheus", worker);
                var metadata = trigger.GetProperty("metadata");
                metadata.GetProperty("serverAddress").GetString().Should().Be("http://prometheus-server.monitoring.svc:80", worker);
                metadata.GetProperty("query").GetString().Should().Contain("renderfarm_queue_depth")
                    .And.Contain($"placement=\"{placement}\"").And.NotContain($"placement=\"{other}\"");
            }
        }
        keda.EnumerateArray().Should().NotContain(o => o.GetProperty("kind").GetString() == "TriggerAuthentication");

        var hpa = YamlOf("kubectl kustomize k8s/overlays/hpa");
        foreach (var (worker, placement) in new[] { ("cpu-worker", "cpu"), ("gpu-worker", "gpu") })
        {
            var external = Object(hpa, "HorizontalPodAutoscaler", worker).GetProperty("spec").GetProperty("metrics").EnumerateArray()
                .Single(m => m.GetProperty("type").GetString() == "External").GetProperty("external").GetProperty("metric");
            external.GetProperty("name").GetString().Should().Be("renderfarm_queue_depth", worker);
            external.GetProperty("selector").GetProperty("matchLabels").GetProperty("placement").GetString().Should().Be(placement, worker);
        }
    }

    [Fact]
    public void Kubernetes_nodes_form_one_akka_cluster_through_the_kubernetes_api()
    {
        var k8s = YamlOf("kubectl kustomize k8s/base");
        var config = Object(k8s, "ConfigMap", "renderfarm-config").GetProperty("data");
        config.GetProperty("RENDERFARM_DISCOVERY").GetString().Should().Be("kubernetes");
        config.GetProperty("RENDERFARM_K8S_POD_SELECTOR").GetString().Should().Be("app.kubernetes.io/part-of=renderfarm");
        config.GetProperty("RENDERFARM_REMOTE_PORT").GetString().Should().Be("4053");
        config.GetProperty("RENDERFARM_MANAGEMENT_PORT").GetString().Should().Be("8558");
        Object(k8s, "Secret", "renderfarm-secrets").GetProperty("stringData").EnumerateObject().Select(p => p.Name)
            .Should().BeEquivalentTo("RENDERFARM_OPERATOR_TOKEN", "RENDERFARM_POSTGRES");

        foreach (var name in new[] { "gateway", "cpu-worker", "gpu-worker" })
        {
            var template = Object(k8s, "Deployment", name).GetProperty("spec").GetProperty("template");
            template.GetProperty("metadata").GetProperty("labels").GetProperty("app.kubernetes.io/part-of").GetString().Should().Be("renderfarm", name);
            var pod = template.GetProperty("spec");
            pod.GetProperty("serviceAccountName").GetString().Should().Be("renderfarm", name);
            pod.GetProperty("automountServiceAccountToken").GetBoolean().Should().BeTrue(name);
            var container = pod.GetProperty("containers")[0];
            container.GetProperty("ports").EnumerateArray().Select(p => $"{p.GetProperty("name").GetString()}={p.GetProperty("containerPort").GetInt32()}")
                .Should().Contain(new[] { "http=8080", "remoting=4053", "management=8558" }, name);
            var env = container.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
            env["RENDERFARM_PUBLIC_HOSTNAME"].GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString().Should().Be("status.podIP", name);
            env["RENDERFARM_K8S_NAMESPACE"].GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString().Should().Be("metadata.namespace", name);
            env.Keys.Should().NotContain(k => k.Contains("RABBIT"), name);
        }

        var remoting = Object(k8s, "Service", "renderfarm-remoting").GetProperty("spec");
        remoting.GetProperty("clusterIP").GetString().Should().Be("None");
        remoting.GetProperty("publishNotReadyAddresses").GetBoolean().Should().BeTrue();
        remoting.GetProperty("selector").GetProperty("app.kubernetes.io/part-of").GetString().Should().Be("renderfarm");
        remoting.GetProperty("ports").EnumerateArray().Select(p => p.GetProperty("port").GetInt32()).Should().BeEquivalentTo(new[] { 4053, 8558 });
        var rule = Object(k8s, "Role", "renderfarm-pod-reader").GetProperty("rules").EnumerateArray().Single();
        rule.GetProperty("resources").EnumerateArray().Select(r => r.GetString()).Should().Equal("pods");
        rule.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()).Should().BeEquivalentTo("get", "list", "watch");
        var binding = Object(k8s, "RoleBinding", "renderfarm-pod-reader");
        binding.GetProperty("roleRef").GetProperty("name").GetString().Should().Be("renderfarm-pod-reader");
        binding.GetProperty("subjects").EnumerateArray().Should().ContainSingle(s =>
            s.GetProperty("kind").GetString() == "ServiceAccount" && s.GetProperty("name").GetString() == "renderfarm");
    }

    [Fact]
    public void Compose_nodes_join_the_gateway_as_their_seed_and_run_no_broker()
    {
        var compose = YamlOf("docker-compose -f docker-compose.yml config")[0];
        var services = compose.GetProperty("services");
        services.EnumerateObject().Select(s => s.Name).Should().BeEquivalentTo("postgres", "gateway", "cpu-worker", "gpu-worker");
        compose.GetProperty("volumes").EnumerateObject().Select(v => v.Name).Should().NotContain(v => v.Contains("rabbit"));

        var gateway = services.GetProperty("gateway").GetProperty("environment");
        gateway.GetProperty("RENDERFARM_SEED_NODES").GetString().Should().Be("akka.tcp://renderfarm@gateway:4053");
        gateway.GetProperty("RENDERFARM_PUBLIC_HOSTNAME").GetString().Should().Be("gateway");
        foreach (var name in new[] { "cpu-worker", "gpu-worker" })
        {
            var worker = services.GetProperty(name);
            var env = worker.GetProperty("environment");
            env.GetProperty("RENDERFARM_SEED_NODES").GetString().Should().Be("akka.tcp://renderfarm@gateway:4053", name);
            env.TryGetProperty("RENDERFARM_PUBLIC_HOSTNAME", out _).Should().BeFalse($"{name} replicas each advertise their own host name");
            env.GetProperty("RENDERFARM_POSTGRES").GetString().Should().Contain("Host=postgres", name);
            worker.GetProperty("depends_on").GetProperty("gateway").GetProperty("condition").GetString().Should().Be("service_healthy", name);
            worker.GetProperty("depends_on").GetProperty("postgres").GetProperty("condition").GetString().Should().Be("service_healthy", name);
            env.EnumerateObject().Select(p => p.Name).Should().NotContain(k => k.Contains("RABBIT"), name);
        }
        services.GetProperty("cpu-worker").GetProperty("deploy").GetProperty("replicas").GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData("cpu-worker.yaml", "replicas: 2", "replicas: \"two\"", "Deployment/cpu-worker", "replicas")]
    [InlineData("cpu-worker.yaml", "readinessProbe:", "readinesProbe:", "Deployment/cpu-worker", "readinesProbe: unknown field")]
    [InlineData("gpu-worker.yaml", "key: RENDERFARM_POSTGRES", "key: RENDERFARM_PGSQL", "Deployment/gpu-worker", "RENDERFARM_PGSQL")]
    [InlineData("cpu-worker.yaml", "automountServiceAccountToken: true", "automountServiceAccountToken: false", "Deployment/cpu-worker", "service account token")]
    [InlineData("cluster.yaml", "verbs: [get, list, watch]", "verbs: [get]", "Deployment/gateway", "list pods")]
    [InlineData("gpu-worker.yaml", "- name: RENDERFARM_PUBLIC_HOSTNAME", "- name: RENDERFARM_PUBLIC_HOST", "Deployment/gpu-worker", "RENDERFARM_PUBLIC_HOSTNAME is not set")]
    [InlineData("gateway.yaml", "      containers:\n", "      containers: \"x\"\n      xcontainers:\n", "gateway", "containers")]
    public void Validator_rejects_a_broken_object_and_names_it(string file, string find, string replace, string names, string reason)
    {
        using var temp = new TempDir();
        var copy = Path.Combine(temp.Path, "base");
        CopyDirectory(Path.Combine(Root, "k8s", "base"), copy);
        var path = Path.Combine(copy, file);
        var text = File.ReadAllText(path);
        text.Should().Contain(find);
        var index = text.IndexOf(find, StringComparison.Ordinal);
        File.WriteAllText(path, text[..index] + replace + text[(index + find.Length)..]);

        var (exit, output) = Validate("--k8s", copy);

        exit.Should().NotBe(0, output);
        output.Should().Contain("FAIL").And.Contain(names).And.Contain(reason);
        output.Should().Contain("validate-deploy: FAILED");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
