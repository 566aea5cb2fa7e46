using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Lifecycle;

/// <summary>The <c>Hub:Lifecycle</c> section: how the deadline sweeper runs and how long before an overdue step is escalated again.</summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Hub:Lifecycle";

    /// <summary>How often the sweeper looks for deadlines that have fallen due.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After the first escalation (to the responsible social worker, or the LADO) the MASH manager is told when the
    /// step is still not done this long after the deadline.
    /// </summary>
    public TimeSpan EscalationGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most deadlines escalated per sweep.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Run the sweeper in this instance (every instance may; each escalation is still made once).</summary>
    public bool SweeperEnabled { get; set; } = true;

    /// <summary>
    /// Days after a missing episode started (last seen, else reported) with no found report before operations are shown it
    /// (the deadlines page, <c>GET /api/v1/operations/open-episodes</c>, the <c>hub.episodes.open_without_found</c> gauge).
    /// The return-interview clock starts only at the found report, so a found report lost or never sent owes no interview
    /// and nothing else notices; a child missing this long is worth asking the police about.
    /// </summary>
    [Range(1, 365)]
    public int OpenEpisodeDays { get; set; } = 7;
}
