using System.Diagnostics;
using Xunit;

namespace IntegrationHub.Testing.Tests;

/// <summary>A node left by a killed test process is swept when the next one starts; a live process's node never is.</summary>
[Trait("Category", "Infrastructure")]
public sealed class StaleNodesTests : IDisposable
{
    // A root of its own, so the sweep under test cannot touch the nodes of tests running beside it.
    private readonly string _root = Directory.CreateTempSubdirectory("stale-nodes-").FullName;

    private string Folder(string name)
    {
        var folder = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        return folder;
    }

    /// <summary>A process that names <paramref name="folder"/> on its command line, as <c>postgres -D &lt;folder&gt;/data</c> does, with a child.</summary>
    private static Process ServerOf(string folder) =>
        Process.Start(new ProcessStartInfo("bash", ["-c", "sleep 300; true", Path.Combine(folder, "data")]))!;

    [Fact]
    public void Should_kill_the_processes_of_a_node_whose_owner_has_gone_and_remove_its_folder()
    {
        var abandoned = Folder("ihtest-pg-0000dead");
        int gone;
        using (var owner = Process.Start("true")!)
        {
            owner.WaitForExit();
            gone = owner.Id;
        }
        File.WriteAllText(Path.Combine(abandoned, StaleNodes.OwnerFile), $"{gone} 1");
        using var server = ServerOf(abandoned);

        var ours = Folder("ihtest-rmq-ihtest-0000beef");
        StaleNodes.Claim(ours);
        using var ourServer = ServerOf(ours);

        Assert.Equal([abandoned], StaleNodes.Sweep(_root, TimeSpan.FromHours(1)));
        Assert.True(server.WaitForExit(10_000), "the abandoned node's process was not killed");
        Assert.True(Directory.Exists(ours));
        Assert.False(ourServer.HasExited);
        ourServer.Kill(entireProcessTree: true);
    }

    [Fact]
    public void Should_leave_a_folder_without_an_owner_until_it_is_old_and_one_kept_on_purpose_for_ever()
    {
        var unowned = Folder("ihtest-pg-0000cafe");
        var hubFolder = Folder("ih-bench-0000f00d");
        var unrelated = Folder("something-else");
        var kept = Folder("ih-fault-0000d00d");
        StaleNodes.Keep(kept);

        Assert.Empty(StaleNodes.Sweep(_root, TimeSpan.FromHours(1)));
        Assert.Equal([hubFolder, unowned], StaleNodes.Sweep(_root, TimeSpan.Zero).Order());
        Assert.True(Directory.Exists(unrelated));
        Assert.True(Directory.Exists(kept));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
