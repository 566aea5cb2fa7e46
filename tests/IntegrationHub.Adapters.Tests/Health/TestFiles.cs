using System.Text.Encodings.Web;
using System.Text.Json;
using IntegrationHub.Adapters.Health;

namespace IntegrationHub.Adapters.Tests.Health;

internal static class TestFiles
{
    public static string UkCoreFolder => Path.Combine(AppContext.BaseDirectory, "TestData", "ukcore");

    public static string UkCore(string name) => File.ReadAllText(Path.Combine(UkCoreFolder, name));

    /// <summary>The repository root, found from the test binaries, so docs/ is read where it is committed.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("IntegrationHub.sln not found above the test binaries.");
        }
    }

    public static string ExamplesFolder => Path.Combine(RepoRoot, "docs", "examples", "fhir");

    public static string Example(string name) => File.ReadAllText(Path.Combine(ExamplesFolder, name));

    public static string GoldenFolder => Path.Combine(RepoRoot, "tests", "IntegrationHub.Adapters.Tests", "TestData", "golden");

    /// <summary>Set UPDATE_GOLDEN=1 to rewrite golden files, then review the diff before committing.</summary>
    public static bool UpdateGolden => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static readonly JsonSerializerOptions ConcernJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Compares text with a committed golden file (line endings normalised).</summary>
    public static void AssertMatchesGolden(string path, string actual)
    {
        actual = actual.ReplaceLineEndings("\n").TrimEnd() + "\n";
        if (UpdateGolden)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing; run the tests once with UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    public static HealthFhirAdapter Adapter() => new(new FixedClock(new DateTimeOffset(2025, 6, 20, 9, 0, 0, TimeSpan.Zero)));
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
