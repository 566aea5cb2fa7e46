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
        ChildAge = AgeOf(message.Concern.Child, context.Now, options.TimeZone);
        var activity = message.Concern.SexualActivity;
        ChildAgeAtActivity = activity?.ChildAgeAtTime ?? ChildAge;
        OtherPersonAge = activity?.OtherPersonAge;
        AgeGap = ChildAgeAtActivity is int c && OtherPersonAge is int o ? o - c : null;

        var concern = message.Concern;
        foreach (var person in concern.PersonsOfConcern)
        {
            if (person is null) continue;
            if (PersonInPositionOfTrust is null && person.PositionOfTrust != PositionOfTrust.None) PersonInPositionOfTrust = person;
            if (PersonWorkingWithChildren is null && (person.WorksWithChildren || person.ApprovedFosterCarer || person.HarmTest.Count > 0))
                PersonWorkingWithChildren = person;
            var personAge = person.AgeYears ?? (person.DateOfBirth is { } d ? AgeOn(d, context.Now, options.TimeZone) : null);
            if (personAge is int a && (OldestPersonAge is null || a > OldestPersonAge)) OldestPersonAge = a;
        }
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

    /// <summary>The first person of concern who holds a position of trust over the child (POT-01).</summary>
    public PersonOfConcern? PersonInPositionOfTrust { get; }

    /// <summary>The first person of concern who works with children, is an approved foster carer, or meets a limb of the harm test (POT-02).</summary>
    public PersonOfConcern? PersonWorkingWithChildren { get; }

    /// <summary>The oldest age among the persons of concern, when any is known.</summary>
    public int? OldestPersonAge { get; }

    /// <summary>At least one 9.3 assessment factor applies (the child's age alone is not one).</summary>
    public bool HasAssessmentFactor => Concern.AssessmentFactors.Count > 0;

    /// <summary>Disabled, a learning disability or a communication difficulty (handbook 9.4).</summary>
    public bool IsDisabled => Concern.Child.Disability || Concern.Child.LearningDisability || Concern.Child.CommunicationDifficulty;

    /// <summary>The child's age at the activity is known and in [<paramref name="from"/>, <paramref name="toExclusive"/>).</summary>
    public bool AgeAtActivityIn(int from, int toExclusive) => ChildAgeAtActivity is int a && a >= from && a < toExclusive;

    public bool HasSexualActivity => Concern.SexualActivity is not null
        || Concern.Signs.Contains(Sign.SexualActivityUnder16);

    private int _cachedDays = -1;
    private DateTimeOffset _cachedDue;

    /// <summary>Now plus <paramref name="days"/> working days; several rules ask for the same deadline, so the last answer is kept.</summary>
    public DateTimeOffset WorkingDaysFromNow(int days)
    {
        if (days != _cachedDays)
        {
            _cachedDue = Calendar.AddWorkingDays(Now, days);
            _cachedDays = days;
        }
        return _cachedDue;
    }

    /// <summary>The MASH and LADO decision deadline: <see cref="ProtocolOptions.DecisionWorkingDays"/> working days from now.</summary>
    public DateTimeOffset DecisionDue => WorkingDaysFromNow(Options.DecisionWorkingDays);

    /// <param name="timeZone">Where the birthday is kept (<see cref="ProtocolOptions.TimeZone"/>).</param>
    public static int? AgeOf(ChildDetails child, DateTimeOffset now, string timeZone = LocalDates.DefaultTimeZone)
    {
        if (child.DateOfBirth is { } dob) return AgeOn(dob, now, timeZone);
        return child.AgeYears;
    }

    /// <summary>Whole years from <paramref name="dob"/> to the local date at <paramref name="now"/>; null for a date of birth in the future.</summary>
    public static int? AgeOn(DateOnly dob, DateTimeOffset now, string timeZone = LocalDates.DefaultTimeZone)
    {
        var today = LocalDates.Of(now, timeZone);
        return dob > today ? null : YearsBetween(dob, today);
    }

    /// <summary>Whole years from <paramref name="born"/> to <paramref name="on"/> (negative when <paramref name="on"/> is before <paramref name="born"/>).</summary>
    public static int YearsBetween(DateOnly born, DateOnly on)
    {
        var years = on.Year - born.Year;
        if (on < born.AddYears(years)) years--;
        return years;
    }
}
