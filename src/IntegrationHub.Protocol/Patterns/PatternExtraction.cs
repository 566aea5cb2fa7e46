using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.ReturnInterviews;

namespace IntegrationHub.Protocol.Patterns;

/// <summary>Every person, location, vehicle, phone and handle a message names, as normalised keys (each once).</summary>
public static class PatternExtraction
{
    public static IReadOnlyList<PatternKey> From(Concern concern)
    {
        var keys = new KeySet();
        foreach (var person in concern.PersonsOfConcern) keys.Add(person);
        foreach (var location in concern.Locations) keys.Add(location);
        if (concern.Trafficking is { } trafficking)
            foreach (var vrm in trafficking.Vehicles) keys.Add(PatternKey.Vehicle, PatternKeys.Vehicle(vrm));
        return keys.ToList();
    }

    public static IReadOnlyList<PatternKey> From(ChildReportedMissing report)
    {
        var keys = new KeySet();
        foreach (var person in report.BelievedWith) keys.Add(person);
        foreach (var location in report.Locations) keys.Add(location);
        return keys.ToList();
    }

    public static IReadOnlyList<PatternKey> From(ChildFound found)
    {
        var keys = new KeySet();
        foreach (var person in found.WithWhom) keys.Add(person);
        if (found.FoundAt is { } at) keys.Add(at);
        foreach (var vrm in found.Vehicles) keys.Add(PatternKey.Vehicle, PatternKeys.Vehicle(vrm));
        return keys.ToList();
    }

    public static IReadOnlyList<PatternKey> From(ReturnInterviewCompleted interview)
    {
        var keys = new KeySet();
        foreach (var person in interview.Persons) keys.Add(person);
        foreach (var location in interview.Locations) keys.Add(location);
        foreach (var vrm in interview.Vehicles) keys.Add(PatternKey.Vehicle, PatternKeys.Vehicle(vrm));
        return keys.ToList();
    }

    private sealed class KeySet
    {
        private readonly List<PatternKey> _keys = [];

        public void Add(string kind, string? value)
        {
            if (value is null) return;
            var key = new PatternKey(kind, value);
            if (!_keys.Contains(key)) _keys.Add(key);
        }

        public void Add(PersonOfConcern? person)
        {
            if (person is null) return;
            Add(PatternKey.Person, PatternKeys.Person(person.Name, person.DateOfBirth));
            foreach (var alias in person.Aliases) Add(PatternKey.Alias, PatternKeys.Alias(alias));
            foreach (var vrm in person.Vehicles) Add(PatternKey.Vehicle, PatternKeys.Vehicle(vrm));
            foreach (var phone in person.Phones) Add(PatternKey.Phone, PatternKeys.Phone(phone));
            foreach (var handle in person.OnlineHandles) Add(PatternKey.Handle, PatternKeys.Handle(handle));
        }

        public void Add(Location? location)
        {
            if (location is null) return;
            Add(PatternKey.Postcode, PatternKeys.Postcode(location.Postcode));
            Add(PatternKey.Place, PatternKeys.Place(location.PlaceName));
            Add(PatternKey.Uprn, PatternKeys.Uprn(location.Uprn));
        }

        public List<PatternKey> ToList() => [.. _keys];
    }
}
