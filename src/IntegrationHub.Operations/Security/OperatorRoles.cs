namespace IntegrationHub.Operations.Security;

/// <summary>
/// What each role may do. Roles include the ones below them: an admin is also a supervisor and an operator.
/// </summary>
public static class OperatorRoles
{
    /// <summary>Sees flow metadata only (ids, agencies, kinds, times, recipients, statuses); mends failures.</summary>
    public const string Operator = "operator";
    /// <summary>May also open a message's content after giving a reason (audited; the sending agency is told).</summary>
    public const string Supervisor = "supervisor";
    /// <summary>May also manage agency keys and retention.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Operator, Supervisor, Admin];

    /// <summary>The roles a user holds, given their configured role.</summary>
    public static IReadOnlyList<string> Implied(string role) => role switch
    {
        Admin => [Operator, Supervisor, Admin],
        Supervisor => [Operator, Supervisor],
        _ => [Operator],
    };
}
