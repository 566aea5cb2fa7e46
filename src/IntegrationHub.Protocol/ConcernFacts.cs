using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Protocol.Calendar;

namespace IntegrationHub.Protocol;

/// <summary>A concern with the facts the rules ask about worked out once: ages, gaps, the calendar.</summary>
public sealed class ConcernFacts
{
    public ConcernFacts(ConcernRaised message, ProtocolContext context, ProtocolOptions options, WorkingCalendar calendar)
    {
        Message = message;
        Context = context;
        Options = options;
        Calendar = calendar;
        ChildAge = AgeOf(message.Concern.Child, context.Now);
        var activity = message.Concern.SexualActivity;
        ChildAgeAtActivity = activity?.ChildAgeAtTime ?? ChildAge;
        OtherPersonAge = activity?.OtherPersonAge;
        AgeGap = ChildAgeAtActivity is int c && OtherPersonAge is int o ? o - c : null;
    }

    public ConcernRaised Message { get; }
    public Concern Concern => Message.Concern;
    public Agency Agency => Message.Agency;
    public ProtocolContext Context { get; }
    public DateTimeOffset Now => Context.Now;
    public ProtocolOptions Options { get; }
    public WorkingCalendar Calendar { get; }

    /// <summary>The child's age today in whole years, from the date of birth or the stated age; null when neither is given.</summary>
    public int? ChildAge { get; }

    /// <summary>The child's age at the time of the sexual activity (falls back to today's age).</summary>
    public int? ChildAgeAtActivity { get; }

    /// <summary>The other person's age, when sexual activity is described.</summary>
    public int? OtherPersonAge { get; }

    /// <summary>Other person's age minus the child's, when both are known.</summary>
    public int? AgeGap { get; }

    public bool HasSexualActivity => Concern.SexualActivity is not null
        || Concern.Signs.Contains(Sign.SexualActivityUnder16);

    public DateTimeOffset WorkingDaysFromNow(int days) => Calendar.AddWorkingDays(Now, days);

    public static int? AgeOf(ChildDetails child, DateTimeOffset now)
    {
        if (child.DateOfBirth is { } dob)
        {
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var age = today.Year - dob.Year;
            if (today < dob.AddYears(age)) age--;
            return age;
        }
        return child.AgeYears;
    }
}
