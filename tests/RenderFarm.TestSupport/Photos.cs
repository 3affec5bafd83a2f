namespace RenderFarm.TestSupport;

/// <summary>Real photographs the tests use, which scripts/setup-models.sh --test extracts into .models (from Debian's python3-skimage).</summary>
public static class Photos
{
    /// <summary>astronaut.png, 512x512: a woman in an orange suit, her face about (175-275, 70-185).</summary>
    public static string Astronaut() => Find("astronaut.png");

    private static string Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, ".models", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{name} is missing: run scripts/setup-models.sh --test");
    }
}
